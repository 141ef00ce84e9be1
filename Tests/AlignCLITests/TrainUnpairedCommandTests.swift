// `align train kto` and `align train bco` in-process on the tiny Llama (../shared/data/models/tiny-llama) with
// the 12 unpaired rows of Tests/Fixtures/kto-trainer/unpaired.jsonl: metrics.jsonl holds TRL's KTO metric
// names per step; the first KTO step's loss is TRL's (policy == reference, z₀ = 0: mean of weighted
// 1 − σ(0) = 0.5·w); a config file with TRL keys is read, unknown keys and bad values are refused; resuming
// a checkpoint ends on the uninterrupted run's loss; BCO logs δ and resumes it from the checkpoint.
@testable import AlignCLI
import AlignTestSupport
import Foundation
import Testing

func unpairedArgs(_ out: URL, _ extra: [String] = []) -> [String] {
    ["--model", FixturePaths.shared("models/tiny-llama").path,
     "--dataset", FixturePaths.fixture("kto-trainer/unpaired.jsonl").path,
     "--output-dir", out.path, "--max-steps", "3", "--per-device-train-batch-size", "4",
     "--learning-rate", "1e-3", "--save-steps", "2"] + extra
}

func unpairedScratch() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("align-train-unpaired-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

@Suite("align train kto|bco", .serialized)
struct TrainUnpairedCommandTests {
    @Test("kto: TRL's metrics per step, checkpoint, final model; resume ends on the same loss")
    func ktoRunAndResume() throws {
        let a = try unpairedScratch()
        defer { try? FileManager.default.removeItem(at: a) }
        let config = a.appendingPathComponent("kto.yaml")
        try "beta: 0.2\ndesirable_weight: 0.8\nloss_type: kto\nmax_length: null\n".write(to: config, atomically: true, encoding: .utf8)
        try TrainKTOCommand.parse(unpairedArgs(a, ["--config", config.path])).run()
        let lines = try rewardMetricLines(a)
        #expect(lines.compactMap { $0["step"] as? Int } == [1, 2, 3])
        for key in ["loss", "grad_norm", "kl", "rewards/chosen", "rewards/rejected", "rewards/margins", "logps/chosen",
                    "logps/rejected", "num_tokens"] {
            #expect(lines.allSatisfy { $0[key] is Double }, "\(key)")
        }
        // Rows 1–4: 2 desirable (weight 0.8), 2 undesirable (weight 1): mean(0.4, 0.4, 0.5, 0.5) = 0.45 (TRL: 0.45).
        let first = try #require(lines.first?["loss"] as? Double)
        #expect(Swift.abs(first - 0.45) < 1e-6)
        #expect(FileManager.default.fileExists(atPath: a.appendingPathComponent("checkpoint-2/trainer_state.json").path))
        #expect(FileManager.default.fileExists(atPath: a.appendingPathComponent("model.safetensors").path))

        let b = try unpairedScratch()
        defer { try? FileManager.default.removeItem(at: b) }
        try TrainKTOCommand.parse(unpairedArgs(b, ["--config", config.path, "--resume-from-checkpoint",
                                                   a.appendingPathComponent("checkpoint-2").path])).run()
        let resumed = try rewardMetricLines(b)
        #expect(resumed.compactMap { $0["step"] as? Int } == [3])
        let (x, y) = (try #require(resumed.last?["loss"] as? Double), try #require(lines.last?["loss"] as? Double))
        #expect(Swift.abs(x - y) <= 1e-6 * Swift.abs(y))
    }

    @Test("config keys are TRL's: unknown keys, bad loss types and shuffled kto are refused")
    func badConfigs() throws {
        #expect(throws: AlignCLIError.unknownConfigKey(file: "flags", key: "label_smoothing")) {
            try UnpairedRunSettings.settings([("label_smoothing", .double(0.1))], objective: .kto)
        }
        #expect(throws: AlignCLIError.unknownConfigKey(file: "flags", key: "loss_type")) {
            try UnpairedRunSettings.settings([("loss_type", .string("kto"))], objective: .bco)
        }
        #expect(throws: AlignCLIError.badConfigValue(key: "loss_type", value: "sigmoid", expected: "kto or apo_zero_unpaired")) {
            try UnpairedRunSettings.settings([("loss_type", .string("sigmoid"))], objective: .kto)
        }
        let s = try UnpairedRunSettings.settings([], objective: .kto)
        #expect(s.training.learningRate == 1e-6 && !s.training.shuffle && s.maxLength == 1024 && s.kto.beta == 0.1)
        let out = try unpairedScratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let config = out.appendingPathComponent("kto.json")
        try #"{"shuffle": true}"#.write(to: config, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try TrainKTOCommand.parse(unpairedArgs(out, ["--config", config.path])).run() }
    }

    @Test("bco: δ logged per step and restored on resume")
    func bcoRunAndResume() throws {
        let a = try unpairedScratch()
        defer { try? FileManager.default.removeItem(at: a) }
        try TrainBCOCommand.parse(unpairedArgs(a)).run()
        let lines = try rewardMetricLines(a)
        #expect(lines.compactMap { $0["step"] as? Int } == [1, 2, 3])
        // Step 1: policy == reference, every reward 0, δ = 0, loss = −log σ(0) = ln 2.
        #expect(Swift.abs((lines[0]["loss"] as? Double ?? 0) - log(2.0)) < 1e-6)
        #expect(lines[0]["delta"] as? Double == 0)
        #expect(lines.allSatisfy { $0["delta"] is Double && $0["rewards/chosen"] is Double })
        let b = try unpairedScratch()
        defer { try? FileManager.default.removeItem(at: b) }
        try TrainBCOCommand.parse(unpairedArgs(b, ["--resume-from-checkpoint", a.appendingPathComponent("checkpoint-2").path])).run()
        let resumed = try rewardMetricLines(b)
        let (x, y) = (try #require(resumed.last?["delta"] as? Double), try #require(lines.last?["delta"] as? Double))
        #expect(Swift.abs(x - y) <= 1e-6 * Swift.max(Swift.abs(y), 1e-3))
    }
}
