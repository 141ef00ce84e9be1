// Preference metrics on held-out pairs and reward-model win rates (../shared/methods/evaluation.md §4).
// * Preference accuracy and margin of any scorer that gives each response a reward: a policy through its
//   implicit DPO reward ρ(y) = β (log π(y|x) − log π_ref(y|x)) (Rafailov et al. 2023, Eq. 5; TRL logs these as
//   `rewards/accuracies` = mean 1[ρ_w > ρ_l] — a tie is not a win — and `rewards/margins` = mean(ρ_w − ρ_l)),
//   or a reward model's scalar scores.
// * Reward-model win rate of policy outputs against reference outputs on the same prompts: hard =
//   mean(1[r_p > r_r] + ½·1[r_p = r_r]), soft (Bradley–Terry) = mean σ(r_p − r_r); each with the standard
//   error sd(per-prompt values, ddof = 1)/√N as AlpacaEval reports it. Values are fractions in [0, 1].
import Foundation

/// Accuracy and margin of rewards on (chosen, rejected) pairs.
public struct PreferenceAccuracy: Sendable, Equatable {
    /// Number of pairs.
    public var pairs: Int
    /// Fraction of pairs with reward(chosen) > reward(rejected); ties count as not correct (TRL).
    public var accuracy: Double
    /// Pairs whose two rewards are equal.
    public var ties: Int
    /// Mean of reward(chosen) − reward(rejected).
    public var meanMargin: Double
    /// Mean reward of the chosen responses.
    public var meanChosen: Double
    /// Mean reward of the rejected responses.
    public var meanRejected: Double

    /// Accuracy and margins from per-pair rewards.
    /// - Throws: `AlignEvalError.shapeMismatch` when the lists differ in length, `invalidArgument` when empty
    ///   or when a reward is not finite.
    public init(chosenRewards: [Double], rejectedRewards: [Double]) throws {
        try PreferenceAccuracy.check(chosenRewards, rejectedRewards, names: ("chosen rewards", "rejected rewards"))
        let n = Double(chosenRewards.count)
        pairs = chosenRewards.count
        accuracy = Double(zip(chosenRewards, rejectedRewards).filter { $0 > $1 }.count) / n
        ties = zip(chosenRewards, rejectedRewards).filter { $0 == $1 }.count
        meanMargin = zip(chosenRewards, rejectedRewards).reduce(0) { $0 + ($1.0 - $1.1) } / n
        meanChosen = chosenRewards.reduce(0, +) / n
        meanRejected = rejectedRewards.reduce(0, +) / n
    }

    /// Throws unless `a` and `b` are non-empty, of equal length and finite.
    static func check(_ a: [Double], _ b: [Double], names: (String, String)) throws {
        guard a.count == b.count else {
            throw AlignEvalError.shapeMismatch(what: names.1, expected: "\(a.count) values (one per \(names.0))", got: "\(b.count)")
        }
        guard !a.isEmpty else { throw AlignEvalError.invalidArgument(name: names.0, reason: "no pairs to evaluate") }
        for (name, xs) in [names.0: a, names.1: b] {
            if let i = xs.firstIndex(where: { !$0.isFinite }) {
                throw AlignEvalError.invalidArgument(name: name, reason: "value \(i) is \(xs[i]), expected a finite number")
            }
        }
    }
}

/// DPO's implicit reward of a policy against a reference.
public enum ImplicitReward {
    /// ρ = β (log π − log π_ref) per response, from sequence log-probs (sums over completion tokens).
    public static func rewards(policyLogps: [Double], referenceLogps: [Double], beta: Double) -> [Double] {
        zip(policyLogps, referenceLogps).map { beta * ($0 - $1) }
    }
}

/// Reward-model win rate of policy outputs against reference outputs, hard and soft.
public struct RewardWinRate: Sendable, Equatable {
    /// Number of prompts.
    public var count: Int
    /// Prompts where the policy output scores higher, lower, or equal.
    public var wins: Int, losses: Int, ties: Int
    /// mean(1[r_p > r_r] + ½·1[r_p = r_r]).
    public var hard: Double
    /// mean σ(r_p − r_r).
    public var soft: Double
    /// sd(ddof = 1) of the per-prompt hard values / √N (0 for one prompt).
    public var hardStandardError: Double
    /// sd(ddof = 1) of the per-prompt soft values / √N (0 for one prompt).
    public var softStandardError: Double

    /// Win rates from per-prompt scores of the policy's and the reference's outputs.
    /// - Throws: `AlignEvalError` when the lists differ in length, are empty, or hold a non-finite score.
    public init(policyScores: [Double], referenceScores: [Double]) throws {
        try PreferenceAccuracy.check(policyScores, referenceScores, names: ("policy scores", "reference scores"))
        let pairs = Array(zip(policyScores, referenceScores))
        let hardValues = pairs.map { $0 > $1 ? 1.0 : ($0 == $1 ? 0.5 : 0.0) }
        let softValues = pairs.map { RewardWinRate.sigmoid($0 - $1) }
        count = pairs.count
        wins = pairs.filter { $0 > $1 }.count
        losses = pairs.filter { $0 < $1 }.count
        ties = count - wins - losses
        (hard, hardStandardError) = RewardWinRate.meanAndStandardError(hardValues)
        (soft, softStandardError) = RewardWinRate.meanAndStandardError(softValues)
    }

    /// σ(x), written to stay finite for large |x|.
    static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }

    /// Mean and sd(ddof = 1)/√n of `xs` (non-empty).
    static func meanAndStandardError(_ xs: [Double]) -> (Double, Double) {
        let n = Double(xs.count)
        let mean = xs.reduce(0, +) / n
        guard xs.count > 1 else { return (mean, 0) }
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, variance.squareRoot() / n.squareRoot())
    }
}
