// `align train copg|aft|d2o` in-process on the tiny Llama: copg on the ranked lists of `train pro|lipo` starts at the hand
// value mean (R_i − R_j)² (policy = reference); aft trains and refuses a threshold above a whole list; d2o on
// Tests/Fixtures/data/d2o_negatives.jsonl starts at ln 2 and names the line of a row with another sample count; posft
// with the policy as its own aligned model starts at ln 2.
@testable import AlignCLI
import AlignData
import AlignTestSupport
import Foundation
import Testing

@Suite("align train aft|copg|d2o|posft", .serialized)
struct TrainRankedScoreCommandTests {
    @Test("copg: first loss at policy = reference is (2.25 + 2.25 + 9 + 4 + 1 + 1)/6 from the lists' scores; aft trains")
    func copgAndAFT() throws {
        let out = try scratchDirectory(), aft = try scratchDirectory()
        defer { for d in [out, aft] { try? FileManager.default.removeItem(at: d) } }
        try TrainCoPGCommand.parse(listwiseArgs(out, ["--beta", "0.5", "--max-steps", "1"])).run()
        let lines = try metricLines(out)
        // List 1 scores (0.5, 2, −1); list 2 ranks (1, 3, 2) → ψ = K − rank = (2, 0, 1).
        #expect(abs((lines.first?["loss"] as? Double ?? 0) - 19.5 / 6) < 1e-5 * 19.5 / 6)
        try TrainAFTCommand.parse(listwiseArgs(aft, ["--aft-threshold", "0.75", "--aft-margin", "0.5", "--max-steps", "1"])).run()
        let a = try metricLines(aft)
        #expect(a.count == 1 && a.allSatisfy { $0["alignment_loss"] is Double && $0["constraint_loss"] is Double })
        #expect(throws: (any Error).self) { try TrainAFTCommand.parse(listwiseArgs(aft, ["--aft-threshold", "5"])).run() }
        let bad = aft.appendingPathComponent("bad.json")
        try #"{"beta": 0.1}"#.write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: AlignCLIError.unknownConfigKey(file: bad.path, key: "beta")) {
            try TrainAFTCommand.parse(listwiseArgs(aft, ["--config", bad.path])).run()
        }
    }

    @Test("d2o on {prompt, rejected, samples}: first loss ln 2 at policy = reference; a row with another K names its line")
    func d2o() throws {
        let out = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let args = ["--model", FixturePaths.shared("models/tiny-llama").path, "--dataset", FixturePaths.fixture("data/d2o_negatives.jsonl").path,
                    "--output-dir", out.path, "--max-steps", "1", "--per-device-train-batch-size", "2", "--learning-rate", "1e-3",
                    "--no-shuffle", "--beta", "0.5", "--alpha", "0.2"]
        try TrainD2OCommand.parse(args).run()
        let lines = try metricLines(out)
        #expect(lines.count == 1 && abs((lines[0]["loss"] as? Double ?? 0) - log(2.0)) < 1e-5)
        #expect(lines[0]["accuracy"] is Double && lines[0]["margin"] is Double)
        let bad = out.appendingPathComponent("bad.jsonl")
        try (#"{"prompt": "a", "rejected": " b", "samples": [" c", " d"]}"# + "\n" + #"{"prompt": "a", "rejected": " b", "samples": [" c"]}"#)
            .write(to: bad, atomically: true, encoding: .utf8)
        var badArgs = args
        badArgs[3] = bad.path
        do {
            try TrainD2OCommand.parse(badArgs).run()
            Issue.record("accepted rows with different sample counts")
        } catch let AlignDataError.malformedRow(loc, reason) {
            #expect(loc.line == 2 && reason.contains("'samples' has 1 entries"))
        }
    }

    @Test("posft with the policy itself as the aligned model (twice): first loss ln 2; no --aligned-model is refused")
    func posft() throws {
        let out = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let tiny = FixturePaths.shared("models/tiny-llama").path
        let args = ["--model", tiny, "--dataset", FixturePaths.fixture("data/posft_sft.jsonl").path, "--output-dir", out.path,
                    "--max-steps", "1", "--per-device-train-batch-size", "2", "--learning-rate", "1e-3", "--no-shuffle"]
        try TrainPOSFTCommand.parse(args + ["--aligned-model", tiny, "--aligned-model", tiny, "--beta", "2"]).run()
        let lines = try metricLines(out)
        #expect(lines.count == 1 && abs((lines[0]["loss"] as? Double ?? 0) - log(2.0)) < 1e-5)
        #expect(abs(lines[0]["score_gap"] as? Double ?? 1) < 1e-5)
        #expect(throws: (any Error).self) { try TrainPOSFTCommand.parseAsRoot(args) }
    }
}
