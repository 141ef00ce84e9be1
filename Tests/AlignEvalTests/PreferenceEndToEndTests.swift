// End to end on the tiny Llama (../shared/data/models/tiny-llama) with four short HH-RLHF harmless-base test pairs
// (Tests/Fixtures/evalmetrics/hh_pairs.jsonl): token ids equal TRL 1.16.0's DPO tokenization, sequence log-probs
// equal transformers', and policy == reference gives margins of exactly 0 and accuracy 0 (ties are not wins).
// Witness: scripts/fixtures/evalmetrics_prefs.py → Tests/Fixtures/evalmetrics/prefs_tiny_llama.json.
import AlignModels
import AlignTokenizers
import Foundation
import Testing
import AlignEval
import AlignTestSupport

private struct PairFixture: Decodable {
    let prompt_ids: [Int32], chosen_ids: [Int32], rejected_ids: [Int32]
    let chosen_logps: Double, rejected_logps: Double
}

private struct PrefsFixture: Decodable {
    let eos_token: String
    let pad_token_id: Int32
    let pairs: [PairFixture]
}

@Suite("Preference accuracy on the tiny Llama", .serialized)
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

    @Test("sequence log-probs (one padded batch) match transformers; policy == reference gives 0 margins")
    func logpsAndIdenticalReference() throws {
        let model = try DecoderModel.load(directory: FixturePaths.shared("models/tiny-llama"))
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
}
