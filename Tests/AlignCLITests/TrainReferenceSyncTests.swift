// `align train dpo --sync-ref-model` (TR-DPO, TRL DPOConfig's sync_ref_model / ref_model_mixup_alpha /
// ref_model_sync_steps) on the tiny Llama: the checkpoint carries the live reference, whose weights equal
// α·policy + (1 − α)·initial after one sync (the policy of that step is the checkpoint's model.safetensors);
// resuming from it ends on the uninterrupted run's weights; contradicting keys fail before training.
@testable import AlignCLI
import AlignModels
import AlignTestSupport
import AlignTokenizers
import AlignTraining
import Foundation
import Testing

@Suite("align train dpo sync_ref_model", .serialized)
struct TrainReferenceSyncTests {
    func tensors(_ url: URL) throws -> [String: [Float]] {
        let f = try SafetensorsFile(url: url)
        return try Dictionary(uniqueKeysWithValues: f.names.map { ($0, try f.tensor($0).scalars) })
    }

    @Test("τ 2, α 0.6: checkpoint-2's reference is the mixup of the initial weights and checkpoint-2's policy; resume is exact")
    func syncedRun() throws {
        let a = try scratchDirectory()
        let sync = ["--sync-ref-model", "--ref-model-sync-steps", "2", "--ref-model-mixup-alpha", "0.6"]
        try TrainDPOCommand.parse(trainArgs(a, sync)).run()
        let ckpt = a.appendingPathComponent("checkpoint-2")
        let ref = try tensors(ckpt.appendingPathComponent("ref_model.safetensors"))
        let policy = try tensors(ckpt.appendingPathComponent("model.safetensors"))
        let initial = try DecoderModel.load(directory: FixturePaths.shared("models/tiny-llama"))
        #expect(ref.count == initial.namedParameters().count)
        var worst: Float = 0
        for (name, w0) in initial.namedParameters() {
            let r = try #require(ref[name]), p = try #require(policy[name])
            let want = zip(w0.scalars, p).map { $0 * Float(0.4) + Float(0.6) * $1 }
            worst = max(worst, zip(r, want).map { abs($0 - $1) }.max() ?? 0)
        }
        #expect(worst < 1e-6)
        let b = try scratchDirectory()
        try TrainDPOCommand.parse(trainArgs(b, sync + ["--resume-from-checkpoint", ckpt.path])).run()
        #expect(try Data(contentsOf: a.appendingPathComponent("model.safetensors"))
            == Data(contentsOf: b.appendingPathComponent("model.safetensors")))
        #expect(try metricLines(b).last?["loss"] as? Double == metricLines(a).last?["loss"] as? Double)
    }

    @Test("sync_ref_model with precompute_ref_log_probs, ref_logps_cache_dir or objective cpo is an error naming the key")
    func contradictions() throws {
        let on: [(String, ChatJSON)] = [("sync_ref_model", .bool(true))]
        #expect(throws: AlignCLIError.self) { try TrainConfigFile.settings(on + [("precompute_ref_log_probs", .bool(true))]) }
        #expect(throws: AlignCLIError.self) { try TrainConfigFile.settings(on + [("ref_logps_cache_dir", .string("/tmp/x"))]) }
        #expect(throws: AlignCLIError.self) { try TrainConfigFile.settings(on + [("objective", .string("cpo"))]) }
        #expect(throws: AlignCLIError.badConfigValue(key: "ref_model_sync_steps", value: "0", expected: "≥ 1")) {
            try TrainConfigFile.settings(on + [("ref_model_sync_steps", .int(0))])
        }
        let s = try TrainConfigFile.settings(on + [("ref_model_mixup_alpha", .double(0.9)), ("num_train_epochs", .double(2))])
        #expect(s.referenceSync == ReferenceSync(syncRefModel: true, refModelMixupAlpha: 0.9, refModelSyncSteps: 512))
        #expect(s.training.numTrainEpochs == 2 && s.training.maxSteps == -1)
        #expect(try TrainConfigFile.settings([]).referenceSync == ReferenceSync())
    }
}
