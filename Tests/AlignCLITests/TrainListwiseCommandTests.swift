// `align train pro` and `align train lipo` in-process on the tiny Llama with the 4 ranked lists of
// Tests/Fixtures/listwise/ranked.jsonl: metrics.jsonl per step, the first LiPO step at policy = reference
// gives the hand-computed Σ Δ_ij·ln 2 (ListwiseTrainerTests derives it), config keys are checked.
@testable import AlignCLI
import AlignTestSupport
import Foundation
import Testing

func listwiseArgs(_ out: URL, _ extra: [String] = []) -> [String] {
    ["--model", FixturePaths.shared("models/tiny-llama").path,
     "--dataset", FixturePaths.fixture("listwise/ranked.jsonl").path,
     "--output-dir", out.path, "--max-steps", "2", "--per-device-train-batch-size", "2",
     "--learning-rate", "1e-3", "--no-shuffle"] + extra
}

@Suite("align train pro|lipo", .serialized)
struct TrainListwiseCommandTests {
    @Test("lipo and pro: one metrics line per step; LiPO's first loss is the hand-computed value")
    func runs() throws {
        let out = try unpairedScratch()
        defer { try? FileManager.default.removeItem(at: out) }
        try TrainLiPOCommand.parse(listwiseArgs(out, ["--beta", "0.5"])).run()
        let lines = try rewardMetricLines(out)
        #expect(lines.compactMap { $0["step"] as? Int } == [1, 2])
        // Lists 1–2 sorted best first: ψ = (2, 0.5, −1) and (2, 1, 0); ρ = 0 so ranks are list order.
        func delta(_ psi: [Double]) -> Double {
            var s = 0.0
            for i in 0 ..< 3 { for j in 0 ..< 3 where psi[i] > psi[j] {
                s += Swift.abs(pow(2, psi[i]) - pow(2, psi[j])) * Swift.abs(1 / log2(Double(i + 2)) - 1 / log2(Double(j + 2)))
            } }
            return s
        }
        let expected = (delta([2, 0.5, -1]) + delta([2, 1, 0])) * log(2.0) / 2
        #expect(Swift.abs((lines[0]["loss"] as? Double ?? 0) - expected) <= 1e-5 * expected)
        let pro = try unpairedScratch()
        defer { try? FileManager.default.removeItem(at: pro) }
        try TrainPROCommand.parse(listwiseArgs(pro, ["--sft-weight", "0.1"])).run()
        let p = try rewardMetricLines(pro)
        #expect(p.count == 2 && p.allSatisfy { $0["rank_1_loss"] is Double && $0["sft_loss"] is Double })
        #expect(FileManager.default.fileExists(atPath: pro.appendingPathComponent("model.safetensors").path))
        let bad = out.appendingPathComponent("bad.json")
        try #"{"loss_type": "kto"}"#.write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: AlignCLIError.unknownConfigKey(file: bad.path, key: "loss_type")) {
            try TrainPROCommand.parse(listwiseArgs(out, ["--config", bad.path])).run()
        }
    }
}
