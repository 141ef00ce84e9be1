// Exact per-position KL(π‖π_ref) from the two models' logits: at each position t,
//   KL_t = Σ_v π(v|·) (log π(v|·) − log π_ref(v|·)),
// the full-vocabulary expectation that the sampled k1/k3 estimators approximate (lowest variance;
// ../shared/methods/evaluation.md §4). Mirrors torch's `(p * (logp - logq)).sum(-1)` with
// `logp = log_softmax(logits, -1)`; the witness is scripts/fixtures/evalmetrics_kl.py.
// Log-softmax is computed per row in Double with the max subtracted first (no overflow in exp).
import AlignTensor
import Foundation

/// Exact KL(π‖π_ref) from logits.
public enum ExactKL {
    /// Per-position KL values [B][T] and their summary over positions where `mask` is true.
    /// - Parameters:
    ///   - policyLogits: [B, T, V] logits of π.
    ///   - referenceLogits: [B, T, V] logits of π_ref.
    ///   - mask: [B][T] true where the position counts; nil = all.
    /// - Returns: the summary (per token and per sequence) and the per-position values (0 where masked).
    /// - Throws: `AlignEvalError.shapeMismatch` when the shapes differ or are not rank 3.
    public static func compute(policyLogits: Tensor, referenceLogits: Tensor,
                               mask: [[Bool]]? = nil) throws -> (summary: KLSummary, perPosition: [[Double]]) {
        guard policyLogits.rank == 3, policyLogits.shape == referenceLogits.shape else {
            throw AlignEvalError.shapeMismatch(what: "logits", expected: "two [B, T, V] tensors of one shape",
                                               got: "\(policyLogits.shape) and \(referenceLogits.shape)")
        }
        let (b, t, v) = (policyLogits.shape[0], policyLogits.shape[1], policyLogits.shape[2])
        if let mask, mask.count != b || mask.contains(where: { $0.count != t }) {
            throw AlignEvalError.shapeMismatch(what: "mask", expected: "[\(b)][\(t)]", got: "\(mask.map(\.count))")
        }
        var values = Array(repeating: Array(repeating: 0.0, count: t), count: b)
        var sums = Array(repeating: 0.0, count: b), tokens = 0
        var scratchP = [Double](repeating: 0, count: v), scratchQ = [Double](repeating: 0, count: v)
        policyLogits.withUnsafeBuffer { p in
            referenceLogits.withUnsafeBuffer { q in
                for i in 0 ..< b {
                    for j in 0 ..< t where mask?[i][j] ?? true {
                        let row = (i * t + j) * v
                        let kl = scratchP.withUnsafeMutableBufferPointer { sp in
                            scratchQ.withUnsafeMutableBufferPointer { sq in
                                logSoftmax(UnsafeBufferPointer(rebasing: p[row ..< row + v]), into: sp)
                                logSoftmax(UnsafeBufferPointer(rebasing: q[row ..< row + v]), into: sq)
                                return klRow(sp, sq)
                            }
                        }
                        values[i][j] = kl
                        sums[i] += kl
                        tokens += 1
                    }
                }
            }
        }
        return (KLSummary(sequenceSums: sums, tokens: tokens), values)
    }

    /// log-softmax of one row [V] into `out` [V], in Double.
    static func logSoftmax(_ x: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Double>) {
        var m = -Double.infinity
        for k in 0 ..< x.count { m = max(m, Double(x[k])) }
        // Subtract the max before exp so the largest term is exp(0) = 1 and nothing overflows.
        var s = 0.0
        for k in 0 ..< x.count { s += exp(Double(x[k]) - m) }
        let lse = m + log(s)
        for k in 0 ..< x.count { out[k] = Double(x[k]) - lse }
    }

    /// Σ_v exp(lp_v) (lp_v − lq_v) for log-probs `lp`, `lq` [V].
    static func klRow(_ lp: UnsafeMutableBufferPointer<Double>, _ lq: UnsafeMutableBufferPointer<Double>) -> Double {
        var s = 0.0
        for k in 0 ..< lp.count { s += exp(lp[k]) * (lp[k] - lq[k]) }
        return s
    }
}
