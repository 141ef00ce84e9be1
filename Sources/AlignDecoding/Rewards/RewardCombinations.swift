// Reward combinations. WeightedSumReward is the linear combination DeAL and DPA use for several
// objectives (Σ w_i r_i). LogSigmoidReward is the transformation of Wang et al., "Transforming and
// Combining Rewards for Aligning Large Language Models" (arXiv 2402.00742, Eq. 3):
//     u(x, y) = log σ(r(x, y) − r_ref(x)),
// with r_ref(x) a per-prompt reference reward (the paper uses a reference response's reward or a
// quantile of reference samples). u ≤ 0 saturates for good outputs, so improving an already good
// property earns little; summing transformed rewards is then the log of a product of
// "property is good" probabilities — their logical AND (§4 of the paper), `RewardCombination.and`.

import Foundation

/// Σ weight_i · r_i.
public struct WeightedSumReward: Reward {
    /// The terms.
    public let terms: [(reward: any Reward, weight: Double)]

    /// - Throws: `invalidReward` for an empty sum or a non-finite weight.
    public init(_ terms: [(reward: any Reward, weight: Double)]) throws {
        guard !terms.isEmpty, terms.allSatisfy({ $0.weight.isFinite }) else {
            throw AlignDecodingError.invalidReward(reason: "a weighted sum needs at least one term with finite weights")
        }
        self.terms = terms
    }

    public func score(prompt: String, completion: String) throws -> Double {
        try terms.reduce(0) { $0 + $1.weight * (try $1.reward.score(prompt: prompt, completion: completion)) }
    }
}

/// log σ(r(x, y) − r_ref(x)) (Wang et al. 2024, Eq. 3).
public struct LogSigmoidReward: Reward {
    /// The reward being transformed.
    public let base: any Reward
    /// r_ref(x): the per-prompt reference reward.
    public let reference: (String) throws -> Double

    /// Transforms `base` relative to `reference(prompt)`.
    public init(_ base: any Reward, reference: @escaping (String) throws -> Double) {
        self.base = base
        self.reference = reference
    }

    /// Transforms `base` relative to a fixed reference value.
    public init(_ base: any Reward, reference value: Double) {
        self.init(base, reference: { _ in value })
    }

    public func score(prompt: String, completion: String) throws -> Double {
        LogSigmoidReward.logSigmoid(try base.score(prompt: prompt, completion: completion) - (try reference(prompt)))
    }

    /// log σ(z) without overflow: −log1p(e^{−z}) for z ≥ 0, z − log1p(e^{z}) otherwise.
    public static func logSigmoid(_ z: Double) -> Double {
        z >= 0 ? -log1p(exp(-z)) : z - log1p(exp(z))
    }
}

/// Named combinations.
public enum RewardCombination {
    /// Sum-as-AND: Σ_i log σ(r_i − r_ref,i) — high only when every reward beats its reference.
    public static func and(_ parts: [(reward: any Reward, reference: (String) throws -> Double)]) throws -> WeightedSumReward {
        try WeightedSumReward(parts.map { (LogSigmoidReward($0.reward, reference: $0.reference), 1.0) })
    }
}
