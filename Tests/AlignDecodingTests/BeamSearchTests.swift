// Beam search against transformers 5.23's own `generate(num_beams=…)` on the bigram table model
// (Tests/Fixtures/decoding/beam_search.json from scripts/fixtures/decoding_processors_fixture.py),
// plus a hand-computed two-beam case.
import Foundation
import Testing
import AlignDecoding
import AlignTestSupport

@Suite("Beam search")
struct BeamSearchTests {
    @Test("best hypothesis and score equal transformers' beam search", arguments: 0..<15)
    func matchesTransformers(index: Int) throws {
        let f = try #require(GeneratorTests.beams)
        let c = f.cases.filter { $0.num_beams > 1 }[index]
        var p = GenerateParameters()
        p.numBeams = c.num_beams
        p.lengthPenalty = c.length_penalty
        switch c.early_stopping {
        case .bool(true): p.earlyStopping = .always
        case .string("never"): p.earlyStopping = .never
        default: p.earlyStopping = .heuristic
        }
        p.maxNewTokens = c.max_new_tokens
        p.eosTokenIds = [f.eos_token_id]
        let best = try #require(try BeamSearch.run(model: TableLM(table: f.table), prompts: [c.prompt], parameters: p)[0].first)
        #expect(c.prompt + best.tokens == c.sequence, "beams \(c.num_beams) lp \(c.length_penalty) \(c.early_stopping)")
        let expectedScore = try #require(c.score)
        #expect(abs(best.score - expectedScore) <= 1e-5 * max(1, abs(expectedScore)), "\(best.score) vs \(expectedScore)")
    }

    @Test("two beams on a hand-computed table")
    func handComputed() throws {
        // V = 3, EOS = 0. After any token: p = softmax([ln .1, ln .6, ln .3]) = [.1, .6, .3] except
        // after 2, where p = [.9, .05, .05]. Step 1 from prompt [1]: beams "1" (ln .6) and "2" (ln .3).
        // Step 2: "1 1" = ln .36, "2 0" = ln .27 (EOS, finished, length 2), "1 2" = ln .18, "1 0" = ln .06.
        // K = 4 candidates; only the first num_beams = 2 may finish: "2 0" does. "1 1", "1 2" run on.
        // Step 3 (max 3 tokens, all hit): "1 1 1" = ln .216, "1 2 0" = ln .162, "1 1 2" = ln .108, …
        // the first two finish. Scores with length_penalty 1: ln(.216)/3 = −0.5108,
        // ln(.162)/3 = −0.6067, ln(.27)/2 = −0.6547 → the two best are "1 1 1" and "1 2 0".
        let ln: (Float) -> Float = { logf($0) }
        let table: [[Float]] = [[ln(0.1), ln(0.6), ln(0.3)], [ln(0.1), ln(0.6), ln(0.3)], [ln(0.9), ln(0.05), ln(0.05)]]
        var p = GenerateParameters()
        p.numBeams = 2
        p.maxNewTokens = 3
        p.eosTokenIds = [0]
        p.earlyStopping = .never
        let hyps = try BeamSearch.run(model: TableLM(table: table), prompts: [[1]], parameters: p)[0]
        #expect(hyps.map(\.tokens) == [[1, 1, 1], [1, 2, 0]])
        #expect(abs(hyps[0].score - logf(0.216) / 3) < 1e-6)
        #expect(abs(hyps[1].score - logf(0.162) / 3) < 1e-6)
        // length_penalty 0 ranks by raw log-probability: "2 0" (ln .27) beats "1 1 1" (ln .216).
        p.lengthPenalty = 0
        let raw = try BeamSearch.run(model: TableLM(table: table), prompts: [[1]], parameters: p)[0]
        #expect(raw[0].tokens == [2, 0])
    }
}
