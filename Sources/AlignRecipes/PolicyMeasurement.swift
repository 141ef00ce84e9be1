// PolicyMeasurement: what the demo and the loop report about a policy, before and after alignment.
// * Ranking accuracy on held-out pairs: the fraction with Σ log π(chosen|x) > Σ log π(rejected|x) — the
//   reference-free "ranking accuracy" of Chen et al. 2024 ("Preference Learning Algorithms Do Not Learn
//   Preference Rankings", arXiv 2405.19534), meaningful for the base model too.
// * Reward accuracy against the base model (after training): TRL's rewards/accuracies with the implicit DPO
//   reward β·(log π − log π_base) on the same held-out pairs (ties are not wins, as in TRL).
// * CSR on held-out prompts: mean constraint satisfaction rate of sampled responses (ACT) and the fraction of
//   responses satisfying every constraint.
import AlignData
import AlignEval
import AlignModels
import AlignTokenizers
import Foundation

/// One measured response.
public struct MeasuredSample: Codable, Sendable, Equatable {
    public var id: String
    public var prompt: String
    public var response: String
    public var csr: Double
}

/// A policy's figures.
public struct PolicyFigures: Codable, Sendable, Equatable {
    /// Held-out pairs scored.
    public var heldoutPairs: Int
    /// Fraction of held-out pairs the policy ranks right (Σ log-prob).
    public var rankingAccuracy: Double
    /// Mean Σ log π(chosen) − Σ log π(rejected) over held-out pairs.
    public var meanLogpMargin: Double
    /// Implicit-reward accuracy against the base model (nil for the base model itself).
    public var rewardAccuracyVsBase: Double?
    /// Mean CSR of the sampled held-out responses.
    public var csr: Double
    /// Fraction of sampled held-out responses satisfying every constraint.
    public var allSatisfied: Double
    /// Held-out responses sampled.
    public var responses: Int
    /// Mean length in words of the sampled responses.
    public var meanWords: Double
    /// The first few samples, for reading.
    public var examples: [MeasuredSample]
}

/// Measures policies on fixed held-out data; sums of the base model are kept for reward accuracy.
public final class PolicyMeasurer {
    public let scorer: PreferenceScorer
    public let heldoutPairs: [TokenizedPreference]
    public let heldoutPrompts: [RecipePrompt]
    public let scoring: ConstraintScoring
    public let sampling: SamplingSettings
    public let beta: Double
    public let examplesShown: Int
    /// Σ log-probs of the first measured model (the base), per held-out pair.
    public private(set) var baseLogps: (chosen: [Double], rejected: [Double])?

    public init(scorer: PreferenceScorer, heldoutPairs: [PreferencePair], heldoutPrompts: [RecipePrompt],
                scoring: ConstraintScoring, sampling: SamplingSettings, beta: Double, maxLength: Int, examplesShown: Int = 3) {
        self.scorer = scorer
        self.heldoutPairs = heldoutPairs.map { scorer.encode($0).truncated(maxLength: maxLength, mode: .keepStart) }
        (self.heldoutPrompts, self.scoring, self.sampling) = (heldoutPrompts, scoring, sampling)
        (self.beta, self.examplesShown) = (beta, examplesShown)
    }

    /// Figures of `model`; the first call records the base model's log-probs.
    public func measure(_ model: DecoderModel) throws -> PolicyFigures {
        var rankingAccuracy = 0.0, margin = 0.0, rewardAccuracy: Double?
        let logps = try scorer.sequenceLogps(model, heldoutPairs)
        if !heldoutPairs.isEmpty {  // no held-out pairs: only CSR is measured
            let ranking = try PreferenceAccuracy(chosenRewards: logps.chosen, rejectedRewards: logps.rejected)
            (rankingAccuracy, margin) = (ranking.accuracy, ranking.meanMargin)
        }
        if let base = baseLogps, !heldoutPairs.isEmpty {
            let c = ImplicitReward.rewards(policyLogps: logps.chosen, referenceLogps: base.chosen, beta: beta)
            let r = ImplicitReward.rewards(policyLogps: logps.rejected, referenceLogps: base.rejected, beta: beta)
            rewardAccuracy = try PreferenceAccuracy(chosenRewards: c, rejectedRewards: r).accuracy
        } else {
            baseLogps = logps
        }
        let scored = try scoring.score(try ResponseSampler.sample(model: model, tokenizer: scorer.tokenizer, prompts: heldoutPrompts,
                                                                 settings: sampling))
        let (csr, all) = ConstraintScoring.summary(scored)
        let texts = scored.flatMap { $0.samples.responses.map(ConstraintScoring.clean) }
        let words = texts.map { Double($0.split(whereSeparator: \.isWhitespace).count) }
        let examples = scored.prefix(examplesShown).map { s in
            MeasuredSample(id: s.samples.prompt.id, prompt: s.samples.prompt.text,
                           response: ConstraintScoring.clean(s.samples.responses[0]), csr: s.csr[0])
        }
        return PolicyFigures(heldoutPairs: heldoutPairs.count, rankingAccuracy: rankingAccuracy, meanLogpMargin: margin,
                             rewardAccuracyVsBase: rewardAccuracy, csr: csr, allSatisfied: all, responses: texts.count,
                             meanWords: words.isEmpty ? 0 : words.reduce(0, +) / Double(words.count), examples: Array(examples))
    }
}
