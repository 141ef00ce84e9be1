// KL(π‖π_ref) per token from sampled tokens: Schulman's k1, k2 and k3 estimators
// (J. Schulman, "Approximating KL Divergence", 2020, http://joschu.net/blog/kl-approx.html).
// With r = π_ref(y_t)/π(y_t) on tokens y_t sampled from π:
//   k1 = −log r             (unbiased, can be negative per token; TRL's online-DPO `objective/kl`, RLOO's penalty)
//   k2 = ½ (log r)²         (biased, low variance)
//   k3 = (r − 1) − log r    (unbiased, ≥ 0; TRL's GRPO per-token KL: exp(ref − logp) − (ref − logp) − 1)
// Summaries follow ../shared/methods/evaluation.md §4: per token = Σ_seqs Σ_t k / Σ_seqs |y|, per sequence =
// mean over sequences of Σ_t k. The estimators assume y ~ π at temperature 1 with no top-k/top-p warping.
// Accumulates in Double; inputs are the per-token log-probs a model returns (masked positions ignored).
import Foundation

/// One of Schulman's sample-based KL estimators.
public enum KLEstimator: String, CaseIterable, Sendable {
    /// k1 = −log r = log π − log π_ref.
    case k1
    /// k2 = ½ (log r)².
    case k2
    /// k3 = (r − 1) − log r.
    case k3

    /// The estimator's value at one token from log π(y_t) and log π_ref(y_t).
    @inlinable
    public func value(logp: Double, refLogp: Double) -> Double {
        let logR = refLogp - logp  // log r = log π_ref − log π
        switch self {
        case .k1: return -logR
        case .k2: return 0.5 * logR * logR
        // expm1 keeps (r − 1) accurate when r ≈ 1 (policy ≈ reference), where exp(log r) − 1 cancels.
        case .k3: return expm1(logR) - logR
        }
    }
}

/// A KL summary over a batch of sequences.
public struct KLSummary: Sendable, Equatable {
    /// Σ over all counted tokens of the per-token value, divided by the token count (0 when no tokens).
    public var perToken: Double
    /// Mean over sequences of the per-sequence sum (0 when no sequences).
    public var perSequence: Double
    /// Per-sequence sums, one per row.
    public var sequenceSums: [Double]
    /// Number of counted (mask = 1) tokens.
    public var tokens: Int

    /// Builds a summary from per-row sums and the counted token total.
    public init(sequenceSums: [Double], tokens: Int) {
        self.sequenceSums = sequenceSums
        self.tokens = tokens
        let total = sequenceSums.reduce(0, +)
        perToken = tokens > 0 ? total / Double(tokens) : 0
        perSequence = sequenceSums.isEmpty ? 0 : total / Double(sequenceSums.count)
    }
}

/// KL(π‖π_ref) estimates from per-token log-probs of sampled tokens.
public enum KLEstimate {
    /// Summarizes `estimator` over rows of per-token log-probs.
    /// - Parameters:
    ///   - policyLogProbs: [B][T] log π(y_t | y_<t).
    ///   - referenceLogProbs: [B][T] log π_ref(y_t | y_<t), same shape.
    ///   - mask: [B][T] true where the token counts (completion tokens); nil = all.
    /// - Throws: `AlignEvalError.shapeMismatch` when the shapes differ.
    public static func summarize(_ estimator: KLEstimator, policyLogProbs: [[Double]], referenceLogProbs: [[Double]],
                                 mask: [[Bool]]? = nil) throws -> KLSummary {
        try checkShapes(policyLogProbs, referenceLogProbs, mask, what: "log-probs")
        var sums: [Double] = [], tokens = 0
        for (b, row) in policyLogProbs.enumerated() {
            var s = 0.0
            for (t, lp) in row.enumerated() where mask?[b][t] ?? true {
                s += estimator.value(logp: lp, refLogp: referenceLogProbs[b][t])
                tokens += 1
            }
            sums.append(s)
        }
        return KLSummary(sequenceSums: sums, tokens: tokens)
    }

    /// Throws unless `a`, `b` (and `mask`) have the same [B][T] shape.
    static func checkShapes<X, Y>(_ a: [[X]], _ b: [[X]], _ mask: [[Y]]?, what: String) throws {
        let shapeA = a.map(\.count), shapeB = b.map(\.count)
        guard shapeA == shapeB else {
            throw AlignEvalError.shapeMismatch(what: "reference \(what)", expected: "row lengths \(shapeA)", got: "\(shapeB)")
        }
        if let mask, mask.map(\.count) != shapeA {
            throw AlignEvalError.shapeMismatch(what: "mask", expected: "row lengths \(shapeA)", got: "\(mask.map(\.count))")
        }
    }
}
