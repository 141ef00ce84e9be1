// `align train asft` in-process on the tiny Llama: it writes the metrics.jsonl of `dpo --objective asft` (to 1e-5, see
// TrainPairwiseAliasTests), its loss is nll_loss + λ·absolute_loss from the logged values, `asft_lambda` sets λ.
@testable import AlignCLI
import AlignData
import AlignTestSupport
import Foundation
import Testing

@Suite("align train asft", .serialized)
struct TrainASFTCommandTests {
    @Test("asft = dpo --objective asft: the same metrics.jsonl; asft_lambda changes the loss; a DPO key is refused")
    func asft() throws {
        let alias = try scratchDirectory(), long = try scratchDirectory(), heavy = try scratchDirectory()
        defer { for d in [alias, long, heavy] { try? FileManager.default.removeItem(at: d) } }
        let shortArgs = TrainPairwiseAliasTests().shortArgs
        try TrainASFTCommand.parse(shortArgs(alias, 1, [])).run()
        try TrainDPOCommand.parse(shortArgs(long, 1, ["--objective", "asft"])).run()
        try TrainPairwiseAliasTests().expectSameMetrics(alias, long)
        let first = try #require(try metricLines(alias).first)
        let nll = try #require(first["nll_loss"] as? Double), absolute = try #require(first["absolute_loss"] as? Double)
        #expect(abs((first["loss"] as? Double ?? 0) - (nll + 0.1 * absolute)) < 1e-5 * nll)  // default λ 0.1
        let config = heavy.appendingPathComponent("asft.yaml")
        try "asft_lambda: 2\n".write(to: config, atomically: true, encoding: .utf8)
        try TrainASFTCommand.parse(shortArgs(heavy, 1, ["--config", config.path])).run()
        let h = try #require(try metricLines(heavy).first)
        #expect(abs((h["loss"] as? Double ?? 0) - (nll + 2 * absolute)) < 1e-5 * nll)
        #expect(throws: AlignCLIError.self) { try TrainASFTCommand.parse(trainArgs(heavy, ["--loss-type", "ipo"])).run() }
    }
}
