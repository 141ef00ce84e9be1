// `align train dpo` in-process on the tiny Llama (../shared/data/models/tiny-llama) with 4 hh-rlhf rows
// (Tests/Fixtures/data/hh_rlhf_short4.jsonl, picked by scripts/fixtures/dpo_tokenization_fixture.py) at
// max_length 64: metrics.jsonl has one line per step, the first loss is ln 2 (policy == reference), a
// checkpoint is written, the final model loads, and resuming the checkpoint ends on identical weights.
@testable import AlignCLI
import AlignModels
import AlignTestSupport
import Foundation
import Testing

func scratchDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("align-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

func trainArgs(_ out: URL, _ extra: [String] = []) -> [String] {
    ["--model", FixturePaths.shared("models/tiny-llama").path, "--data", FixturePaths.fixture("data/hh_rlhf_short4.jsonl").path,
     "--output-dir", out.path, "--max-steps", "3", "--per-device-train-batch-size", "2", "--max-length", "64",
     "--learning-rate", "1e-3", "--save-steps", "2", "--seed", "7"] + extra
}

func metricLines(_ out: URL) throws -> [[String: Any]] {
    let text = try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
    return try text.split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
}

@Suite("align train dpo", .serialized)
struct TrainDPOCommandTests {
    @Test("3 steps: metrics.jsonl, first loss ln 2, checkpoint, final model loads; resume is exact")
    func tinyRunAndResume() throws {
        let a = try scratchDirectory()
        try TrainDPOCommand.parse(trainArgs(a)).run()
        let lines = try metricLines(a)
        #expect(lines.compactMap { $0["step"] as? Int } == [1, 2, 3])
        let first = try #require(lines.first?["loss"] as? Double)
        #expect(abs(first - log(2)) < 1e-6)
        #expect(lines.allSatisfy { $0["rewards/accuracies"] is Double && ($0["grad_norm"] as? Double ?? 0) > 0 })
        #expect(lines.first?["learning_rate"] as? Double == 1e-3)  // linear decay from the peak, no warmup
        #expect(FileManager.default.fileExists(atPath: a.appendingPathComponent("checkpoint-2/trainer_state.json").path))
        for f in ["config.json", "tokenizer.json", "tokenizer_config.json"] {
            #expect(FileManager.default.fileExists(atPath: a.appendingPathComponent(f).path))
        }
        let trained = try DecoderModel.load(directory: a)
        let initial = try DecoderModel.load(directory: FixturePaths.shared("models/tiny-llama"))
        let name = "model.layers.0.self_attn.q_proj.weight"
        let w1 = try #require(trained.namedParameters().first { $0.0 == name }?.1.scalars)
        let w0 = try #require(initial.namedParameters().first { $0.0 == name }?.1.scalars)
        let change = zip(w1, w0).map { abs($0 - $1) }.max() ?? 0
        #expect(w1.count == w0.count && change > 0)  // the saved weights are the trained ones

        // Resume from checkpoint-2 into another folder: step 3 and the final weights are identical.
        let b = try scratchDirectory()
        try TrainDPOCommand.parse(trainArgs(b, ["--resume-from-checkpoint", a.appendingPathComponent("checkpoint-2").path])).run()
        let resumed = try metricLines(b)
        #expect(resumed.compactMap { $0["step"] as? Int } == [3])
        #expect(resumed.last?["loss"] as? Double == lines.last?["loss"] as? Double)
        let wa = try Data(contentsOf: a.appendingPathComponent("model.safetensors"))
        let wb = try Data(contentsOf: b.appendingPathComponent("model.safetensors"))
        #expect(wa == wb)
    }

    @Test("YAML and JSON configs use TRL's keys; flags override; unknown keys and bad values are errors")
    func configFiles() throws {
        let dir = try scratchDirectory()
        let yaml = dir.appendingPathComponent("c.yaml")
        try Data("""
            # TRL-style
            beta: 0.25
            loss_type:
              - sigmoid
              - sft
            loss_weights: [1.0, 0.5]
            learning_rate: 5e-7
            max_length: 128
            truncation_mode: keep_end
            shuffle: false
            output_dir: "runs/x"  # comment
            """.utf8).write(to: yaml)
        let pairs = try TrainConfigFile.read(yaml.path)
        let s = try TrainConfigFile.settings(pairs + [("max_steps", .int(9))])
        #expect(s.dpo.beta == 0.25 && s.dpo.lossType == [.sigmoid, .sft] && s.dpo.lossWeights == [1.0, 0.5])
        #expect(s.training.learningRate == 5e-7 && s.training.maxSteps == 9 && !s.training.shuffle)
        #expect(s.training.outputDir == "runs/x" && s.maxLength == 128 && s.truncationMode == .keepEnd)

        let json = dir.appendingPathComponent("c.json")
        try Data(#"{"beta": 0.1, "learning_rat": 1e-6}"#.utf8).write(to: json)
        #expect(throws: AlignCLIError.unknownConfigKey(file: json.path, key: "learning_rat")) { try TrainConfigFile.read(json.path) }
        #expect(throws: AlignCLIError.badConfigValue(key: "max_steps", value: "x", expected: "an integer")) {
            try TrainConfigFile.settings([("max_steps", .string("x"))])
        }
        let defaults = try TrainConfigFile.settings([])
        #expect(defaults.maxLength == 1024 && defaults.truncationMode == .keepStart && defaults.dpo.beta == 0.1)
    }
}
