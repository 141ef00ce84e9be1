// TR-DPO's reference sync (ReferenceSync, DPOTrainer+Reference): the mixup θ_ref ← α·θ + (1 − α)·θ_ref worked by
// hand on constant weights; a short run whose live reference equals the formula applied to the policy's weights
// at each sync step (TRL SyncRefModelCallback: after global steps 2, 4, … for ref_model_sync_steps 2); a run
// stopped at a checkpoint and resumed ending bit-identical in policy and reference; and the refused combinations.
import Foundation
import Testing
import AlignModels
import AlignTensor
@testable import AlignTraining

@Suite("TR-DPO reference sync")
struct ReferenceSyncTests {
    func config(_ steps: Int, dir: String = "") -> TrainingConfig {
        var c = TrainingConfig()
        (c.maxSteps, c.perDeviceTrainBatchSize, c.learningRate, c.outputDir) = (steps, 2, 0.05, dir)
        return c
    }

    func weights(_ m: DecoderModel) -> [String: [Float]] {
        Dictionary(uniqueKeysWithValues: m.namedParameters().map { ($0.0, $0.1.scalars) })
    }

    @Test("TRL's defaults: off, α 0.6, τ 512")
    func defaults() {
        let s = ReferenceSync()
        #expect(!s.syncRefModel && s.refModelMixupAlpha == 0.6 && s.refModelSyncSteps == 512)
        #expect(!s.syncs(afterStep: 512))
        let on = ReferenceSync(syncRefModel: true, refModelSyncSteps: 3)
        #expect([1, 2, 3, 4, 5, 6].map { on.syncs(afterStep: $0) } == [false, false, true, false, false, true])
    }

    @Test("mixup by hand: 0.4·1 + 0.6·2 = 1.6; 0.75·0.5 + 0.25·(−1.5) = 0; α = 1 copies")
    func mixByHand() throws {
        let policy = try tinyModel(seed: 1), reference = try tinyModel(seed: 2)
        for (_, p) in policy.namedParameters() { p.fill(2) }
        for (_, p) in reference.namedParameters() { p.fill(1) }
        ReferenceSync.mix(policy: policy, into: reference, alpha: 0.6)
        for (name, p) in reference.namedParameters() { #expect(p.scalars.allSatisfy { Swift.abs($0 - 1.6) < 1e-6 }, "\(name)") }
        for (_, p) in policy.namedParameters() { p.fill(-1.5) }
        for (_, p) in reference.namedParameters() { p.fill(0.5) }
        ReferenceSync.mix(policy: policy, into: reference, alpha: 0.25)
        for (name, p) in reference.namedParameters() { #expect(p.scalars.allSatisfy { $0 == 0 }, "\(name)") }
        let source = try tinyModel(seed: 9)
        ReferenceSync.mix(policy: source, into: reference, alpha: 1)
        #expect(weights(reference) == weights(source))
    }

    @Test("a 5-step run with τ 2, α 0.6: the reference is the formula over the policy at steps 2 and 4")
    func shortRun() throws {
        let sync = ReferenceSync(syncRefModel: true, refModelMixupAlpha: 0.6, refModelSyncSteps: 2)
        let trainer = try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()), config: config(5),
                                     data: tinyPairs, padID: 0, referenceSync: sync)
        #expect(trainer.referenceLogps.isEmpty)
        let live = try #require(trainer.liveReference)
        var expected = weights(try tinyModel())  // the initial policy
        var policyAt: [Int: [String: [Float]]] = [:]
        let logs = try trainer.train { log in policyAt[log.step] = weights(trainer.model); return true }
        #expect(Swift.abs(logs[0].loss - 0.6931471805599453) < 1e-6)  // reference = initial policy
        for step in [2, 4] {
            let p = try #require(policyAt[step])
            for (name, r) in expected {
                let w = try #require(p[name])
                expected[name] = zip(r, w).map { $0 * Float(0.4) + Float(0.6) * $1 }
            }
        }
        for (name, got) in weights(live) {
            let want = try #require(expected[name])
            let maxDiff = zip(got, want).map { Swift.abs($0 - $1) }.max() ?? 0
            #expect(maxDiff < 1e-6, "\(name): max |Δ| \(maxDiff)")
        }
        #expect(weights(live) != weights(trainer.model))  // step 5 moved the policy past the last sync
    }

    @Test("the step after a sync uses the synced reference: its loss is the objective on the new reference")
    func usesSyncedReference() throws {
        let sync = ReferenceSync(syncRefModel: true, refModelMixupAlpha: 1, refModelSyncSteps: 1)
        var c = config(2)
        (c.perDeviceTrainBatchSize, c.shuffle) = (6, false)
        let trainer = try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()), config: c,
                                     data: tinyPairs, padID: 0, referenceSync: sync)
        let logs = try trainer.train()
        // α = 1 after step 1: reference = policy, so step 2's sigmoid loss is exactly ln 2 again.
        #expect(Swift.abs(logs[1].loss - 0.6931471805599453) < 1e-6)
        #expect(Swift.abs(logs[1].metrics["rewards/margins"] ?? 1) < 1e-7)
    }

    @Test("stopped after the step-3 checkpoint and resumed: policy and reference bit-identical to an uninterrupted run")
    func exactResume() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("alignkit-trdpo-\(UInt32.random(in: 0 ... .max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = config(6, dir: dir.path)
        c.saveSteps = 3
        let sync = ReferenceSync(syncRefModel: true, refModelMixupAlpha: 0.6, refModelSyncSteps: 2)
        func make() throws -> DPOTrainer {
            try DPOTrainer(model: try tinyModel(), objective: try DPOLoss(config: DPOConfig()), config: c, data: tinyPairs,
                           padID: 0, referenceSync: sync)
        }
        let full = try make()
        try full.train()
        let first = try make()
        try first.train { $0.step < 3 }
        let ckpt = dir.appendingPathComponent("checkpoint-3")
        #expect(FileManager.default.fileExists(atPath: ckpt.appendingPathComponent("ref_model.safetensors").path))
        let second = try make()
        try second.resume(from: ckpt)
        #expect(weights(try #require(second.liveReference)) == weights(try #require(first.liveReference)))
        try second.train()
        #expect(weights(second.model) == weights(full.model))
        #expect(weights(try #require(second.liveReference)) == weights(try #require(full.liveReference)))
    }

    @Test("refused: a reference cache, a reference-free objective, LoRA, a reference of another shape, α outside [0, 1]")
    func refused() throws {
        let on = ReferenceSync(syncRefModel: true)
        let dpo = try DPOLoss(config: DPOConfig())
        let cache = ReferenceLogpsCache(directory: URL(fileURLWithPath: "/tmp/alignkit-unused-cache"))
        #expect(throws: TrainingError.self) {
            try DPOTrainer(model: try tinyModel(), objective: dpo, config: config(1), data: tinyPairs, padID: 0,
                           referenceCache: cache, referenceSync: on)
        }
        #expect(throws: TrainingError.self) {
            try DPOTrainer(model: try tinyModel(), objective: ORPOLoss(config: ORPOConfig()), config: config(1), data: tinyPairs,
                           padID: 0, referenceSync: on)
        }
        let lora = try tinyModel()
        lora.setTrainable(false)
        _ = try lora.attachLoRA(targets: ["q_proj"], rank: 2, alpha: 4, seed: 1)
        #expect(throws: TrainingError.self) {
            try DPOTrainer(model: lora, objective: dpo, config: config(1), data: tinyPairs, padID: 0, referenceSync: on)
        }
        let spec = DecoderSpec(vocabSize: 48, hiddenSize: 16, layers: 1, heads: 2, kvHeads: 1, headDim: 8, intermediateSize: 24,
                               norm: .rms(eps: 1e-6),
                               positions: .rotary(inverseFrequencies: try Rope.inverseFrequencies(dimension: 8, theta: 10000),
                                                  attentionScaling: 1),
                               tiedEmbeddings: true)
        #expect(throws: TrainingError.self) {
            try DPOTrainer(model: try tinyModel(), reference: DecoderModel(spec: spec), objective: dpo, config: config(1),
                           data: tinyPairs, padID: 0, referenceSync: on)
        }
        #expect(throws: TrainingError.invalidConfig(field: "ref_model_mixup_alpha", value: "1.5", expected: "in [0, 1]")) {
            try ReferenceSync(syncRefModel: true, refModelMixupAlpha: 1.5).validate()
        }
    }
}
