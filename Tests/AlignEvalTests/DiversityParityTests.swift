// Self-BLEU, sentence BLEU, distinct-n and length statistics match nltk 3.10.4 / numpy on three small response
// sets (ASCII, short + repeated + empty, Unicode with NBSP). Witness: scripts/fixtures/evalmetrics_diversity.py →
// Tests/Fixtures/evalmetrics/diversity.json.
import Foundation
import Testing
import AlignEval
import AlignTestSupport

private struct DistFixture: Decodable {
    let count: Int
    let mean, median, p90, p95, min, max: Double
}

private struct DistinctFixture: Decodable { let n, unique, total: Int }

private struct DiversityCase: Decodable {
    let name: String
    let responses: [String]
    let sentence_bleu_method1: [Double]
    let self_bleu_method1: Double
    let sentence_bleu_none: [Double]
    let self_bleu_none: Double
    let distinct: [DistinctFixture]
    let characters: DistFixture
    let words: DistFixture
}

private struct DiversityFixture: Decodable { let cases: [DiversityCase] }

private func loadCases() throws -> [DiversityCase] {
    try FixturePaths.loadJSON(DiversityFixture.self, "evalmetrics/diversity.json").cases
}

private func expectEqual(_ d: Distribution, _ f: DistFixture) {
    #expect(d.count == f.count)
    let got = [d.mean, d.median, d.p90, d.p95, d.min, d.max], want = [f.mean, f.median, f.p90, f.p95, f.min, f.max]
    #expect(compareClose(got, want, atol: 1e-12, rtol: 0).passed, "\(got) vs \(want)")
}

@Suite("Diversity and length statistics")
struct DiversityParityTests {
    @Test("sentence BLEU of each response against the others matches nltk (method1 and no smoothing)")
    func sentenceBLEUMatchesNLTK() throws {
        for c in try loadCases() {
            let toks = c.responses.map(BLEU.tokenize)
            for (smoothing, expected) in [(BLEU.Smoothing.method1, c.sentence_bleu_method1), (.none, c.sentence_bleu_none)] {
                let got = toks.indices.map { i in
                    BLEU.sentence(hypothesis: toks[i], references: toks.indices.filter { $0 != i }.map { toks[$0] },
                                  smoothing: smoothing)
                }
                // Relative tolerance: unsmoothed scores go down to 1e-231 (nltk's sys.float_info.min stand-in).
                #expect(compareClose(got, expected, atol: 1e-300, rtol: 1e-9).passed, "\(c.name) \(smoothing): \(got) vs \(expected)")
            }
        }
    }

    @Test("self-BLEU matches nltk within 1e-6")
    func selfBLEUMatchesNLTK() throws {
        for c in try loadCases() {
            #expect(abs(try BLEU.selfBLEU(c.responses) - c.self_bleu_method1) <= 1e-6, "\(c.name)")
            #expect(abs(try BLEU.selfBLEU(c.responses, smoothing: .none) - c.self_bleu_none) <= 1e-6, "\(c.name)")
        }
    }

    @Test("distinct-1..4 counts equal nltk.util.ngrams counts")
    func distinctMatches() throws {
        for c in try loadCases() {
            let got = try DistinctNGrams.compute(c.responses)
            #expect(got.map { [$0.n, $0.unique, $0.total] } == c.distinct.map { [$0.n, $0.unique, $0.total] }, "\(c.name)")
        }
    }

    @Test("character and word length statistics match numpy")
    func lengthsMatch() throws {
        for c in try loadCases() {
            let s = LengthStats(responses: c.responses)
            expectEqual(s.characters, c.characters)
            expectEqual(s.words, c.words)
            #expect(s.tokens == nil)
        }
    }

    @Test("hand-computed: distinct-2 of [\"a b a b\", \"a b\"] is 2/4; identical responses have self-BLEU 1")
    func handComputed() throws {
        let d = try DistinctNGrams.compute(["a b a b", "a b"], orders: [1, 2])
        #expect(d[0].unique == 2 && d[0].total == 6 && d[1].unique == 2 && d[1].total == 4 && d[1].value == 0.5)
        #expect(try BLEU.selfBLEU(["the cat sat on the mat", "the cat sat on the mat"]) == 1)
        #expect(Distribution.percentile([1, 2, 3, 4], 90) == 3.7)  // rank 0.9·3 = 2.7 → 3 + 0.7·(4 − 3)
    }

    @Test("self-BLEU of one response and n-gram order 0 are errors")
    func errors() {
        #expect(throws: AlignEvalError.self) { try BLEU.selfBLEU(["only one"]) }
        #expect(throws: AlignEvalError.self) { try DistinctNGrams.compute(["a"], orders: [0]) }
    }
}
