// `align train sft` in-process on the tiny Llama's tokenizer and config (../shared/data/models/tiny-llama)
// with 4 hand-made text rows (Tests/Fixtures/sft/text4.jsonl), from a random init (--init-from-scratch):
// metrics.jsonl has one line per step, a rerun with the same seed reproduces the loss curve exactly, a
// checkpoint resumes to the same final weights, the final model loads, and a bad row names its file:line.
@testable import AlignCLI
import AlignData
import AlignModels
import AlignTestSupport
import Foundation
import Testing

func sftArgs(_ out: URL, _ extra: [String] = []) -> [String] {
    ["--model", FixturePaths.shared("models/tiny-llama").path, "--dataset", FixturePaths.fixture("sft/text4.jsonl").path,
     "--output-dir", out.path, "--max-steps", "3", "--per-device-train-batch-size", "2", "--max-length", "16",
     "--learning-rate", "1e-3", "--save-steps", "2", "--seed", "7", "--init-from-scratch", "--packing"] + extra
}

@Suite("align train sft", .serialized)
struct TrainSFTCommandTests {
    @Test("from scratch: 3 steps logged, a rerun is identical, resume is exact, the model loads")
    func tinyRun() throws {
        let a = try scratchDirectory(), b = try scratchDirectory(), c = try scratchDirectory()
        try TrainSFTCommand.parse(sftArgs(a)).run()
        let lines = try metricLines(a)
        #expect(lines.compactMap { $0["step"] as? Int } == [1, 2, 3])
        let first = try #require(lines.first?["loss"] as? Double)
        // A fresh N(0, 0.02) model is near uniform over V = 32000: its logits have std ≈ 0.02·√256 = 0.32, which
        // raises the log-sum-exp by about σ²/2 ≈ 0.05 above ln V.
        #expect(abs(first - log(32000.0)) < 0.15)
        #expect(lines.allSatisfy { ($0["num_tokens"] as? Double ?? 0) > 0 && ($0["grad_norm"] as? Double ?? 0) > 0 })
        try TrainSFTCommand.parse(sftArgs(b)).run()
        #expect(try metricLines(b).map { $0["loss"] as? Double } == lines.map { $0["loss"] as? Double })
        try TrainSFTCommand.parse(sftArgs(c, ["--resume-from-checkpoint", a.appendingPathComponent("checkpoint-2").path])).run()
        #expect(try metricLines(c).compactMap { $0["step"] as? Int } == [3])
        let wa = try Data(contentsOf: a.appendingPathComponent("model.safetensors"))
        #expect(wa == (try Data(contentsOf: c.appendingPathComponent("model.safetensors"))))
        _ = try DecoderModel.load(directory: a)
    }

    @Test("a malformed dataset row fails before training with file:line")
    func badRow() throws {
        let dir = try scratchDirectory()
        let data = dir.appendingPathComponent("bad.jsonl")
        try Data(("{\"text\": \"ok\"}\n{\"text\": [1]}\n").utf8).write(to: data)
        var args = sftArgs(dir.appendingPathComponent("out"))
        args[args.firstIndex(of: "--dataset")! + 1] = data.path
        do {
            try TrainSFTCommand.parse(args).run()
            Issue.record("no error")
        } catch let e as AlignDataError {
            #expect(e.description.hasPrefix("\(data.path):2:"), "\(e)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/metrics.jsonl").path))
    }

    @Test("SFT config keys use TRL's names and defaults; unknown keys and bad values are errors")
    func settings() throws {
        let s = try SFTRunSettings.from([])
        #expect(s.training.learningRate == 2e-5 && s.data.maxLength == 1024 && !s.data.packing && s.data.completionOnlyLoss == nil)
        let t = try SFTRunSettings.from([("packing", .bool(true)), ("packing_strategy", .string("wrapped")),
                                         ("completion_only_loss", .bool(false)), ("max_length", .int(32))])
        #expect(t.data.packing && t.data.packingStrategy == .wrapped && t.data.completionOnlyLoss == false && t.data.maxLength == 32)
        #expect(throws: AlignCLIError.self) { try SFTRunSettings.from([("packing_strategy", .string("ffd"))]) }
        #expect(throws: AlignCLIError.self) { try SFTRunSettings.from([("beta", .double(0.1))]) }
    }
}
