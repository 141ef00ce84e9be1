// End to end on the tiny Llama (../shared/data/models/tiny-llama) with four short HH-RLHF harmless-base test pairs
// (Tests/Fixtures/evalmetrics/hh_pairs.jsonl): token ids equal TRL 1.16.0's DPO tokenization, sequence log-probs
// equal transformers', and policy == reference gives margins of exactly 0 and accuracy 0 (ties are not wins).
// Witness: scripts/fixtures/evalmetrics_prefs.py → Tests/Fixtures/evalmetrics/prefs_tiny_llama.json.
import AlignModels
import AlignTokenizers
import Foundation
import Testing
@testable import AlignEval
import AlignTestSupport

private struct PairFixture: Decodable {
    let prompt_ids: [Int32], chosen_ids: [Int32], rejected_ids: [Int32]
    let chosen_logps: Double, rejected_logps: Double
}

private struct PrefsFixture: Decodable {
    let eos_token: String
    let pad_token_id: Int32
    let pairs: [PairFixture]
    let completion_token_counts: [Int]
}

/// The tiny Llama, loaded once for the suite.
private let tinyLlama = Result { try DecoderModel.load(directory: FixturePaths.shared("models/tiny-llama")) }

@Suite("Preference accuracy and KL on the tiny Llama", .serialized)
struct PreferenceEndToEndTests {
    private let fixture: PrefsFixture
    private let pairs: [PreferencePair]
    private let scorer: PreferenceScorer

    init() throws {
        fixture = try FixturePaths.loadJSON(PrefsFixture.self, "evalmetrics/prefs_tiny_llama.json")
        pairs = try PreferencePair.read(FixturePaths.fixture("evalmetrics/hh_pairs.jsonl"))
        let tokenizer = try Tokenizer(contentsOf: FixturePaths.shared("models/tiny-llama/tokenizer.json"))
        scorer = PreferenceScorer(tokenizer: tokenizer, eosToken: fixture.eos_token, padID: fixture.pad_token_id, batchSize: 4)
    }

    @Test("prompt/chosen/rejected ids equal TRL 1.16.0's tokenization")
    func idsMatchTRL() {
        #expect(pairs.count == fixture.pairs.count)
        for (pair, f) in zip(pairs, fixture.pairs) {
            let t = scorer.encode(pair)
            #expect(t.prompt == f.prompt_ids && t.chosen == f.chosen_ids && t.rejected == f.rejected_ids)
        }
    }

    @Test("token lengths of the completions equal transformers' counts (no special tokens)")
    func tokenLengths() throws {
        let texts = pairs.flatMap { [$0.chosen, $0.rejected] }
        let stats = LengthStats(responses: texts, tokenizer: scorer.tokenizer)
        #expect(stats.tokens == Distribution(fixture.completion_token_counts.map(Double.init)))
        #expect(stats.tokens?.max == 11 && stats.tokens?.count == 8)
    }

    @Test("sequence log-probs (one padded batch) match transformers; policy == reference gives 0 margins")
    func logpsAndIdenticalReference() throws {
        let model = try tinyLlama.get()
        let eval = try PreferenceEvaluation(pairs: pairs, policy: .model(model), reference: .model(model), scorer: scorer)
        let wantChosen = fixture.pairs.map(\.chosen_logps), wantRejected = fixture.pairs.map(\.rejected_logps)
        let c = compareClose(eval.policyLogps.chosen, wantChosen, atol: 2e-3, rtol: 1e-5)
        let r = compareClose(eval.policyLogps.rejected, wantRejected, atol: 2e-3, rtol: 1e-5)
        #expect(c.passed, "chosen \(c)")
        #expect(r.passed, "rejected \(r)")
        let a = try eval.accuracy()
        #expect(a.pairs == 4 && a.ties == 4 && a.accuracy == 0 && a.meanMargin == 0)
        #expect(eval.chosenRewards.allSatisfy { $0 == 0 } && eval.rejectedRewards.allSatisfy { $0 == 0 })

        // Against a zero reference the implicit reward is β·log π: chosen wins on pairs 3 and 4 only (fixture logps).
        let zeroRef = pairs.map { p -> PreferencePair in
            var q = p
            (q.refChosenLogps, q.refRejectedLogps) = (0, 0)
            return q
        }
        let vsZero = try PreferenceEvaluation(pairs: zeroRef, policy: .model(model), reference: .precomputed, scorer: scorer, beta: 0.1)
        let b = try vsZero.accuracy()
        let expectedMargin = zip(wantChosen, wantRejected).reduce(0) { $0 + 0.1 * ($1.0 - $1.1) } / 4
        #expect(b.accuracy == 0.5 && b.ties == 0)
        #expect(abs(b.meanMargin - expectedMargin) < 1e-3)
    }

    @Test("KL of completions under policy == reference is exactly 0; gathered log-probs match transformers")
    func klOnTinyLlama() throws {
        let model = try tinyLlama.get()
        let tokenizer = scorer.tokenizer
        // Completions with the EOS text appended tokenize exactly as the preference fixture's chosen ids.
        let samples = pairs.map { SampledCompletion(prompt: $0.prompt, completion: $0.chosen + fixture.eos_token) }
        let r = try KLReport.evaluate(policy: model, reference: model, tokenizer: tokenizer, samples: samples)
        let expectedTokens = fixture.pairs.reduce(0) { $0 + $1.chosen_ids.count }
        for k in KLEstimator.allCases {
            let s = try #require(r.estimators[k])
            #expect(s.tokens == expectedTokens && s.perToken == 0 && s.perSequence == 0)
        }
        let exact = try #require(r.exact)
        #expect(exact.tokens == expectedTokens && abs(exact.perToken) < 1e-12)

        let f = fixture.pairs[0]
        let ids = f.prompt_ids + f.chosen_ids
        let logits = try model.logits([ids])  // [1, T, V]
        let lp = ExactKL.gatherLogProbs(logits, positions: (f.prompt_ids.count - 1) ..< (ids.count - 1),
                                        labels: Array(ids[f.prompt_ids.count...]))
        #expect(abs(lp.reduce(0, +) - f.chosen_logps) < 2e-3, "\(lp.reduce(0, +)) vs \(f.chosen_logps)")
    }
}
