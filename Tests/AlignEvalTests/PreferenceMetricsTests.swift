// Preference accuracy/margins, implicit rewards and reward-model win rates on hand-computed values, and the
// paired JSONL reader's file:line errors.
import Foundation
import Testing
import AlignEval

@Suite("Preference metrics")
struct PreferenceMetricsTests {
    @Test("accuracy counts strict wins only; margin and means by hand")
    func accuracyByHand() throws {
        // margins: 1, −1, 0, 2 → accuracy 2/4 (the tie is not a win), mean margin 0.5.
        let a = try PreferenceAccuracy(chosenRewards: [2, 0, 1, 3], rejectedRewards: [1, 1, 1, 1])
        #expect(a.pairs == 4 && a.accuracy == 0.5 && a.ties == 1)
        #expect(a.meanMargin == 0.5 && a.meanChosen == 1.5 && a.meanRejected == 1)
    }

    @Test("implicit reward is β (log π − log π_ref)")
    func implicitReward() {
        let r = ImplicitReward.rewards(policyLogps: [-10, -4], referenceLogps: [-12, -3], beta: 0.1)
        #expect(abs(r[0] - 0.2) < 1e-15 && abs(r[1] + 0.1) < 1e-15)
    }

    @Test("precomputed log-probs: accuracy and margin of the implicit reward by hand")
    func precomputedEvaluation() throws {
        var p1 = PreferencePair(prompt: "q", chosen: "a", rejected: "b")
        (p1.chosenLogps, p1.rejectedLogps, p1.refChosenLogps, p1.refRejectedLogps) = (-10, -12, -11, -11)
        var p2 = PreferencePair(prompt: "q", chosen: "c", rejected: "d")
        (p2.chosenLogps, p2.rejectedLogps, p2.refChosenLogps, p2.refRejectedLogps) = (-5, -4, -5, -5)
        let e = try PreferenceEvaluation(pairs: [p1, p2], policy: .precomputed, reference: .precomputed, scorer: nil, beta: 0.5)
        // ρ_w − ρ_l: pair 1 = 0.5·(1 − (−1)) = 1; pair 2 = 0.5·(0 − 1) = −0.5.
        let a = try e.accuracy()
        #expect(a.accuracy == 0.5 && abs(a.meanMargin - 0.25) < 1e-15)
        #expect(throws: AlignEvalError.self) {
            try PreferenceEvaluation(pairs: [PreferencePair(prompt: "q", chosen: "a", rejected: "b")],
                                     policy: .precomputed, reference: .precomputed, scorer: nil)
        }
        #expect(throws: AlignEvalError.invalidArgument(name: "beta", reason: "must be a positive number, got 0.0")) {
            try PreferenceEvaluation(pairs: [p1], policy: .precomputed, reference: .precomputed, scorer: nil, beta: 0)
        }
    }

    @Test("reward-model win rate: hard with ties as ½, soft as mean σ(Δ), standard errors by hand")
    func winRateByHand() throws {
        let w = try RewardWinRate(policyScores: [1, 0, 2, 5], referenceScores: [0, 1, 2, 5 - log(3.0)])
        #expect(w.wins == 2 && w.losses == 1 && w.ties == 1 && w.count == 4)
        // hard values 1, 0, ½, 1 → mean 0.625; sd(ddof 1) = √(0.421875/3 ... ) computed below.
        #expect(w.hard == 0.625)
        let hardValues = [1.0, 0, 0.5, 1], m = 0.625
        let se = (hardValues.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 3).squareRoot() / 2
        #expect(abs(w.hardStandardError - se) < 1e-15 && abs(se - 0.2393567) < 1e-6)
        // σ(1) + σ(−1) = 1, σ(0) = ½, σ(ln 3) = ¾ → soft = (1 + 0.5 + 0.75)/4 = 0.5625.
        #expect(abs(w.soft - 0.5625) < 1e-12)
    }

    @Test("win rate rejects unequal lengths, empty lists and non-finite scores")
    func winRateErrors() {
        #expect(throws: AlignEvalError.self) { try RewardWinRate(policyScores: [1, 2], referenceScores: [1]) }
        #expect(throws: AlignEvalError.self) { try RewardWinRate(policyScores: [], referenceScores: []) }
        #expect(throws: AlignEvalError.self) { try RewardWinRate(policyScores: [.nan], referenceScores: [0]) }
    }

    @Test("paired JSONL: reads text and precomputed columns; malformed lines name file:line and key")
    func readsPairs() throws {
        let ok = try PreferencePair.parse("""
            {"prompt": "p", "chosen": "c", "rejected": "r", "ref_chosen_logps": -1.5, "ref_rejected_logps": -2}

            {"prompt": "p2", "chosen": "c2", "rejected": "r2"}
            """, path: "d.jsonl")
        #expect(ok.count == 2 && ok[0].refChosenLogps == -1.5 && ok[0].refRejectedLogps == -2 && ok[1].refChosenLogps == nil)
        let cases: [(String, String)] = [
            ("{\"prompt\": \"p\", \"chosen\": \"c\"}", "d.jsonl:2: missing key 'rejected'"),
            ("{\"prompt\": \"p\", \"chosen\": 3, \"rejected\": \"r\"}", "d.jsonl:2: key 'chosen' must be a string"),
            ("{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \"r\", \"ref_chosen_logps\": \"x\"}",
             "d.jsonl:2: key 'ref_chosen_logps' must be a number"),
            ("not json", "d.jsonl:2: expected a JSON object {\"prompt\", \"chosen\", \"rejected\"}"),
        ]
        for (bad, message) in cases {
            let text = "{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \"r\"}\n" + bad
            do {
                _ = try PreferencePair.parse(text, path: "d.jsonl")
                Issue.record("no error for \(bad)")
            } catch let e as AlignEvalError {
                #expect(e.description == message)
            }
        }
    }
}
