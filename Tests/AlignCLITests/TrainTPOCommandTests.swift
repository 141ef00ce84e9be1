// `align train tpo` in-process on the tiny Llama with Tests/Fixtures/data/tpo_triples.jsonl: per single-pair step,
// loss = −log σ(β·(logps/chosen − logps/rejected)) + tpo_alpha·nll_loss from the logged values; bad keys are errors.
@testable import AlignCLI
import AlignData
import AlignTestSupport
import Foundation
import Testing

@Suite("align train tpo", .serialized)
struct TrainTPOCommandTests {
    func tpoArgs(_ out: URL, _ extra: [String] = []) -> [String] {
        ["--model", FixturePaths.shared("models/tiny-llama").path, "--data", FixturePaths.fixture("data/tpo_triples.jsonl").path,
         "--output-dir", out.path, "--max-steps", "3", "--per-device-train-batch-size", "1", "--learning-rate", "1e-3",
         "--no-shuffle"] + extra
    }

    @Test("tpo: each step's loss = −log σ(β·Δ) + tpo_alpha·nll_loss from its logged values; bad keys are errors")
    func tpo() throws {
        let out = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let config = out.appendingPathComponent("tpo.json")
        try #"{"tpo_alpha": 0.5, "beta": 0.2}"#.write(to: config, atomically: true, encoding: .utf8)
        try TrainTPOCommand.parse(tpoArgs(out, ["--config", config.path])).run()
        let lines = try metricLines(out)
        #expect(lines.compactMap { $0["step"] as? Int } == [1, 2, 3])
        for line in lines {
            let d = (line["logps/chosen"] as? Double ?? 0) - (line["logps/rejected"] as? Double ?? 0)
            let expected = log1p(exp(-0.2 * d)) + 0.5 * (line["nll_loss"] as? Double ?? .nan)
            #expect(abs((line["loss"] as? Double ?? 0) - expected) < 1e-5 * expected)
        }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("model.safetensors").path))
        #expect(throws: AlignCLIError.self) { try TrainTPOCommand.parse(tpoArgs(out, ["--objective", "dpo"])).run() }
        #expect(throws: AlignCLIError.self) { try TrainTPOCommand.parse(tpoArgs(out, ["--loss-type", "robust"])).run() }
    }
}
