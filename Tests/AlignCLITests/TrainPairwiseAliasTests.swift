// `align train orpo|cpo|simpo|ipo` (TrainPairwiseAlias.swift) in-process on the tiny Llama with the 4 hh-rlhf rows
// of `align train dpo`'s tests: an alias run writes the metrics.jsonl of its long form (same steps and keys, every
// value equal to 1e-5 relative: tests running in parallel change OpenBLAS's thread count, AttentionKernels.swift,
// which moves sgemm sums in the last bits by step 3; run alone the files are byte-identical), IPO's first
// loss at policy == reference is (0 − 1/(2β))² = 25 for β 0.1, and an explicit objective or loss type that
// contradicts the alias is an error naming both.
@testable import AlignCLI
import AlignTokenizers
import Foundation
import Testing

@Suite("align train pairwise aliases", .serialized)
struct TrainPairwiseAliasTests {
    /// `trainArgs` cut to `steps` optimizer steps without checkpoints (a repeated option's last value wins), to keep the suite fast.
    func shortArgs(_ out: URL, steps: Int, _ extra: [String] = []) -> [String] {
        trainArgs(out, extra) + ["--max-steps", "\(steps)", "--save-steps", "0"]
    }

    /// The two runs' metrics.jsonl: same lines, same keys, every number equal to 1e-5 relative.
    func expectSameMetrics(_ a: URL, _ b: URL) throws {
        let x = try metricLines(a), y = try metricLines(b)
        #expect(x.count == y.count && !x.isEmpty)
        for (l, r) in zip(x, y) {
            #expect(Set(l.keys) == Set(r.keys))
            for (k, v) in l {
                let u = (v as? NSNumber)?.doubleValue ?? .nan, w = (r[k] as? NSNumber)?.doubleValue ?? .nan
                #expect(Swift.abs(u - w) <= 1e-5 * Swift.max(Swift.abs(u), 1e-3), "\(k): \(u) vs \(w)")
            }
        }
    }

    @Test("simpo = dpo --objective cpo --loss-type simpo with cpo_alpha 0: the same metrics.jsonl; cpo differs by its NLL")
    func simpoEqualsLongForm() throws {
        let alias = try scratchDirectory(), long = try scratchDirectory(), cpo = try scratchDirectory()
        defer { for d in [alias, long, cpo] { try? FileManager.default.removeItem(at: d) } }
        try TrainSimPOCommand.parse(shortArgs(alias, steps: 2)).run()
        let config = long.appendingPathComponent("simpo.json")
        try #"{"cpo_alpha": 0}"#.write(to: config, atomically: true, encoding: .utf8)
        try TrainDPOCommand.parse(shortArgs(long, steps: 2, ["--objective", "cpo", "--loss-type", "simpo", "--config", config.path])).run()
        #expect(try metricLines(alias).count == 2)
        try expectSameMetrics(alias, long)
        // `align train cpo --loss-type simpo` keeps TRL's cpo_alpha 1: same preference term plus the chosen NLL.
        try TrainCPOCommand.parse(shortArgs(cpo, steps: 1, ["--loss-type", "simpo"])).run()
        let first = try #require(try metricLines(alias).first?["loss"] as? Double)
        let withNLL = try #require(try metricLines(cpo).first?["loss"] as? Double)
        #expect(withNLL > first + 1)  // the tiny model's chosen NLL is several nats per token
    }

    @Test("ipo = dpo --loss-type ipo: the same metrics.jsonl, first loss (1/(2·0.1))² = 25")
    func ipoEqualsLongForm() throws {
        let alias = try scratchDirectory(), long = try scratchDirectory()
        defer { for d in [alias, long] { try? FileManager.default.removeItem(at: d) } }
        try TrainIPOCommand.parse(shortArgs(alias, steps: 1)).run()
        try TrainDPOCommand.parse(shortArgs(long, steps: 1, ["--loss-type", "ipo"])).run()
        try expectSameMetrics(alias, long)
        let first = try #require(try metricLines(alias).first?["loss"] as? Double)
        #expect(abs(first - 25) < 1e-4)
    }

    @Test("a contradicting --objective, --loss-type or config key is an error naming the key, its value and the alias")
    func conflicts() throws {
        let out = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        func expectConflict(_ body: () throws -> Void, key: String, value: String, alias: String) {
            do {
                try body()
                Issue.record("accepted a \(key) contradicting align train \(alias)")
            } catch let AlignCLIError.badConfigValue(k, v, expected) {
                #expect(k == key && v == value && expected.contains("align train \(alias)"))
            } catch { Issue.record("unexpected \(error)") }
        }
        expectConflict({ try TrainSimPOCommand.parse(trainArgs(out, ["--objective", "dpo"])).run() },
                       key: "objective", value: "dpo", alias: "simpo")
        expectConflict({ try TrainIPOCommand.parse(trainArgs(out, ["--loss-type", "sigmoid"])).run() },
                       key: "loss_type", value: "sigmoid", alias: "ipo")
        let config = out.appendingPathComponent("c.yaml")
        try "objective: cpo\n".write(to: config, atomically: true, encoding: .utf8)
        expectConflict({ try TrainORPOCommand.parse(trainArgs(out, ["--config", config.path])).run() },
                       key: "objective", value: "cpo", alias: "orpo")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("metrics.jsonl").path))
    }

    @Test("alias presets come first: the file and flags override the defaults, a repeated objective is accepted")
    func presetsOverridable() throws {
        let simpo = try TrainConfigFile.settings(
            try PairwiseAlias.simpo.pairs(file: [("cpo_alpha", .double(0.25))], flags: [("objective", .string("cpo")), ("beta", .int(2))]))
        #expect(simpo.objective == .cpo && simpo.cpo.lossType == .simpo && simpo.cpo.cpoAlpha == 0.25 && simpo.cpo.beta == 2)
        let ipo = try TrainConfigFile.settings(try PairwiseAlias.ipo.pairs(file: [("loss_type", .array([.string("ipo")]))], flags: []))
        #expect(ipo.objective == .dpo && ipo.dpo.lossType == [.ipo])
        let orpo = try TrainConfigFile.settings(try PairwiseAlias.orpo.pairs(file: [], flags: []))
        #expect(orpo.objective == .orpo && orpo.orpo.beta == 0.1)
    }
}
