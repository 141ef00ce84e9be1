// PreferenceLogps: what a pairwise objective sees of a batch — per-token log-probs of the
// completions in TRL's canonical [chosen; rejected] layout, their mask, and the reference.
import AlignTensor

/// Per-token log-probs of a preference batch, rows ordered [chosen₁…chosen_B; rejected₁…rejected_B]
/// as TRL's DPOTrainer concatenates them.
public struct PreferenceLogps {
    /// [2B, N] policy log π(y_t | x, y_<t) at completion positions, 0 elsewhere (label −100).
    public var tokenLogps: Tensor
    /// [2B, N] 1 at completion tokens, 0 at prompt and padding. Constant.
    public var completionMask: Tensor
    /// [2B] reference sequence log-probs (Σ over completion tokens), or nil for reference-free objectives.
    public var referenceLogps: Tensor?
    /// [2B, N] log Σ_v π(v | ·)² per position (WPO's on-policy alignment term), when weighting is on.
    public var logSumSquaredProbs: Tensor?
    /// [] token-mean NLL over the prompt and chosen tokens of the chosen rows (ORPO's NLL term), when asked for.
    public var promptChosenNLL: Tensor?

    public init(tokenLogps: Tensor, completionMask: Tensor, referenceLogps: Tensor? = nil,
                logSumSquaredProbs: Tensor? = nil, promptChosenNLL: Tensor? = nil) {
        self.tokenLogps = tokenLogps
        self.completionMask = completionMask
        self.referenceLogps = referenceLogps
        self.logSumSquaredProbs = logSumSquaredProbs
        self.promptChosenNLL = promptChosenNLL
    }

    /// Number of pairs B.
    public var pairs: Int { tokenLogps.shape[0] / 2 }

    /// [2B] Σ_t mask · log π: the summed completion log-probs.
    public func sequenceLogps() -> Tensor {
        (tokenLogps * completionMask).sum(axis: 1)
    }

    /// [2B] completion token counts, clamped at 1 as TRL does before dividing.
    public func tokenCounts() -> Tensor {
        completionMask.sum(axis: 1).clamped(min: 1)
    }

    /// [2B] LD-DPO's length-desensitized log-probs (Liu et al. 2024, arXiv 2409.06411, as TRL 1.16
    /// computes them): the first ℓ_p = min(|y_w|, |y_l|) completion tokens count fully, the longer
    /// response's tail is scaled by `alpha`. `tokenLogps` must be [2B, N] with the matching mask.
    public static func lengthDesensitized(_ tokenLogps: Tensor, mask: Tensor, alpha: Float) -> Tensor {
        let n = mask.shape[1], rows = mask.shape[0], b = rows / 2
        let m = mask.scalars
        let lengths = (0 ..< rows).map { r in Int(m[r * n ..< (r + 1) * n].reduce(0, +)) }
        var weights = [Float](repeating: 0, count: rows * n)
        for r in 0 ..< rows {
            let shared = min(lengths[r % b], lengths[b + r % b])
            var position = 0  // 1-based index among completion tokens
            for t in 0 ..< n where m[r * n + t] > 0 {
                position += 1
                weights[r * n + t] = position <= shared ? 1 : alpha
            }
        }
        let w = Tensor(zeros: [rows, n])
        w.withUnsafeMutableBuffer { _ = $0.update(fromContentsOf: weights) }
        return (tokenLogps * w).sum(axis: 1)
    }
}
