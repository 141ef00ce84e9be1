// Held-out preference accuracy of a policy used as an implicit reward model (DPO): gathers sequence log-probs
// of policy and reference — from models (PreferenceScorer) or from the data's precomputed columns — and
// reports accuracy and margins of ρ = β (log π − log π_ref) (PreferenceMetrics.swift; TRL's `rewards/*`).
import AlignModels
import Foundation

/// Where the policy's or the reference's sequence log-probs come from.
public enum LogpSource {
    /// Run this model on the pairs.
    case model(DecoderModel)
    /// Use the pairs' precomputed columns (`chosen_logps`/`rejected_logps` for the policy,
    /// `ref_chosen_logps`/`ref_rejected_logps` for the reference).
    case precomputed
}

/// Per-pair implicit rewards and their summary.
public struct PreferenceEvaluation {
    /// Sequence log-probs of the policy (chosen, rejected), one per pair.
    public var policyLogps: (chosen: [Double], rejected: [Double])
    /// Sequence log-probs of the reference (chosen, rejected), one per pair.
    public var referenceLogps: (chosen: [Double], rejected: [Double])
    /// β of the implicit reward.
    public var beta: Double
    /// Implicit rewards of the chosen responses.
    public var chosenRewards: [Double] { ImplicitReward.rewards(policyLogps: policyLogps.chosen, referenceLogps: referenceLogps.chosen, beta: beta) }
    /// Implicit rewards of the rejected responses.
    public var rejectedRewards: [Double] { ImplicitReward.rewards(policyLogps: policyLogps.rejected, referenceLogps: referenceLogps.rejected, beta: beta) }

    /// Scores `pairs` with the policy and reference sources.
    /// - Parameters:
    ///   - scorer: tokenizes and runs models; needed when either source is `.model`.
    ///   - beta: the DPO temperature β (> 0; TRL's default 0.1).
    ///   - path: names the data file in errors about missing precomputed columns.
    /// - Throws: `AlignEvalError.invalidArgument` for β ≤ 0, a `.model` source without a scorer, or `malformedLine` for a pair
    ///   lacking a precomputed column (naming its line); model errors as thrown.
    public init(pairs: [PreferencePair], policy: LogpSource, reference: LogpSource, scorer: PreferenceScorer?,
                beta: Double = 0.1, path: String = "data") throws {
        guard beta > 0, beta.isFinite else { throw AlignEvalError.invalidArgument(name: "beta", reason: "must be a positive number, got \(beta)") }
        self.beta = beta
        let tokenized = scorer.map { s in pairs.map(s.encode) }
        func logps(_ source: LogpSource, columns: (String, String),
                   _ pick: (PreferencePair) -> (Double?, Double?)) throws -> (chosen: [Double], rejected: [Double]) {
            switch source {
            case .model(let model):
                guard let scorer, let tokenized else {
                    throw AlignEvalError.invalidArgument(name: "scorer", reason: "a tokenizer is needed to run a model")
                }
                return try scorer.sequenceLogps(model, tokenized)
            case .precomputed:
                var c: [Double] = [], r: [Double] = []
                for (i, pair) in pairs.enumerated() {
                    guard case let (x?, y?) = pick(pair) else {
                        throw AlignEvalError.malformedLine(path: path, line: pair.line > 0 ? pair.line : i + 1,
                            reason: "no '\(columns.0)'/'\(columns.1)' numbers, and no model was given to compute them")
                    }
                    c.append(x); r.append(y)
                }
                return (c, r)
            }
        }
        func policySide() throws -> (chosen: [Double], rejected: [Double]) {
            try logps(policy, columns: ("chosen_logps", "rejected_logps")) { ($0.chosenLogps, $0.rejectedLogps) }
        }
        func referenceSide() throws -> (chosen: [Double], rejected: [Double]) {
            try logps(reference, columns: ("ref_chosen_logps", "ref_rejected_logps")) { ($0.refChosenLogps, $0.refRejectedLogps) }
        }
        // Read precomputed columns before running any model, so a missing column fails fast.
        if case .precomputed = reference {
            referenceLogps = try referenceSide()
            policyLogps = try policySide()
        } else {
            policyLogps = try policySide()
            referenceLogps = try referenceSide()
        }
    }

    /// Accuracy (ties are not wins) and margins of the implicit rewards.
    public func accuracy() throws -> PreferenceAccuracy {
        try PreferenceAccuracy(chosenRewards: chosenRewards, rejectedRewards: rejectedRewards)
    }
}
