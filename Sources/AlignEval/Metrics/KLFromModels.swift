// KL(π‖π_ref) of sampled completions under a policy and a reference model: one forward per (prompt, completion)
// for each model gives logits [1, T, V]; completion positions (those predicting a completion token) are scored with
// Schulman's k1/k2/k3 on the sampled tokens (KLEstimators.swift) and with the exact full-vocabulary KL (ExactKL.swift).
// Tokenization splits prompt + completion where it diverges from the prompt's own ids, as PreferenceScorer does
// (TRL 1.16.0's rule); no EOS is appended, since the completion is scored as it was sampled.
// Completions must have been sampled from π at temperature 1 for k1/k3 to be unbiased (see KLEstimators.swift).
import AlignModels
import AlignTensor
import AlignTokenizers
import Foundation

/// A prompt and a completion sampled from the policy.
public struct SampledCompletion: Sendable, Equatable {
    /// The prompt text.
    public var prompt: String
    /// The sampled completion text.
    public var completion: String

    /// A prompt/completion pair.
    public init(prompt: String, completion: String) { (self.prompt, self.completion) = (prompt, completion) }
}

/// Sampled and exact KL(π‖π_ref) of completions.
public struct KLReport: Sendable {
    /// k1, k2, k3 summaries over the completion tokens.
    public var estimators: [KLEstimator: KLSummary]
    /// The exact KL summary from logits (nil when only log-probs were given).
    public var exact: KLSummary?

    /// A report from its parts.
    public init(estimators: [KLEstimator: KLSummary], exact: KLSummary?) { (self.estimators, self.exact) = (estimators, exact) }

    /// The k1/k2/k3 summaries of per-token log-probs (no logits, so no exact KL).
    public init(policyLogProbs: [[Double]], referenceLogProbs: [[Double]]) throws {
        var e: [KLEstimator: KLSummary] = [:]
        for k in KLEstimator.allCases {
            e[k] = try KLEstimate.summarize(k, policyLogProbs: policyLogProbs, referenceLogProbs: referenceLogProbs)
        }
        self.init(estimators: e, exact: nil)
    }

    /// Runs `policy` and `reference` on each sample and summarizes k1/k2/k3 and the exact KL.
    /// - Throws: `AlignEvalError.invalidArgument` when a completion has no tokens of its own or a token id is outside
    ///   a model's vocabulary; `shapeMismatch` when the two vocabularies differ; model errors as thrown.
    public static func evaluate(policy: DecoderModel, reference: DecoderModel, tokenizer: Tokenizer,
                                samples: [SampledCompletion]) throws -> KLReport {
        var logp: [[Double]] = [], refLogp: [[Double]] = [], exactSums: [Double] = [], tokens = 0
        for (i, s) in samples.enumerated() {
            let prompt = tokenizer.encode(s.prompt).ids.map { Int32($0) }
            let full = tokenizer.encode(s.prompt + s.completion).ids.map { Int32($0) }
            let split = zip(prompt, full).prefix(while: { $0 == $1 }).count
            guard split > 0, split < full.count else {
                throw AlignEvalError.invalidArgument(name: "sample \(i + 1)",
                    reason: split == 0 ? "the prompt has no tokens to condition on" : "the completion has no tokens")
            }
            if let bad = full.first(where: { Int($0) >= policy.spec.vocabSize || Int($0) >= reference.spec.vocabSize }) {
                throw AlignEvalError.invalidArgument(name: "sample \(i + 1)",
                    reason: "token id \(bad) is outside the models' vocabularies (\(policy.spec.vocabSize), \(reference.spec.vocabSize))")
            }
            // Position t predicts full[t + 1]; the completion's tokens are full[split...], predicted at split − 1 ..< T − 1.
            let positions = (split - 1) ..< (full.count - 1)
            let labels = positions.map { full[$0 + 1] }
            let p = try policy.logits([full]), q = try reference.logits([full])  // [1, T, V]
            logp.append(ExactKL.gatherLogProbs(p, positions: positions, labels: labels))
            refLogp.append(ExactKL.gatherLogProbs(q, positions: positions, labels: labels))
            let mask = [(0 ..< full.count).map { positions.contains($0) }]
            let exact = try ExactKL.compute(policyLogits: p, referenceLogits: q, mask: mask).summary
            exactSums.append(exact.sequenceSums[0])
            tokens += exact.tokens
        }
        var report = try KLReport(policyLogProbs: logp, referenceLogProbs: refLogp)
        report.exact = KLSummary(sequenceSums: exactSums, tokens: tokens)
        return report
    }
}

extension ExactKL {
    /// log-softmax(logits[0, t])[label] for each position t of `positions` (row 0 of [1, T, V] logits), in Double.
    static func gatherLogProbs(_ logits: Tensor, positions: Range<Int>, labels: [Int32]) -> [Double] {
        let v = logits.shape[2]
        var scratch = [Double](repeating: 0, count: v)
        return logits.withUnsafeBuffer { x in
            scratch.withUnsafeMutableBufferPointer { lp in
                zip(positions, labels).map { t, label in
                    logSoftmax(UnsafeBufferPointer(rebasing: x[t * v ..< (t + 1) * v]), into: lp)
                    return lp[Int(label)]
                }
            }
        }
    }
}
