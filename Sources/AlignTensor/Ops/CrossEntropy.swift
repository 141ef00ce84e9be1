// Cross-entropy over the last axis with an ignore index: torch.nn.functional.cross_entropy(
// logits.view(-1, V), labels.view(-1), ignore_index=-100, reduction=…) semantics, built on the
// fused token log-prob op (loss = −logp), so it never forms a log-softmax buffer either.
//   none: per-position loss, 0 at ignored positions;  sum: Σ over positions;
//   mean: Σ / (number of non-ignored positions) — NaN when every position is ignored, as in torch.
// Left out: class weights and label smoothing.

/// How per-position losses are combined (torch's `reduction` argument; raw values match it).
public enum Reduction: String, Sendable, CaseIterable {
    case none, sum, mean
}

extension Tensor {
    /// Cross-entropy of `logits` `[…, V]` against one label per position.
    ///
    ///     let loss = try Tensor.crossEntropy(logits, labels: labels)   // mean over non-ignored tokens
    ///
    /// - Parameters:
    ///   - logits: `[…, V]` unnormalized scores.
    ///   - labels: one id per position, row-major; each in `0..<V` or `ignoreIndex`.
    ///   - ignoreIndex: label of positions that contribute neither loss nor gradient (default −100).
    ///   - reduction: `.mean` (default) → scalar, `.sum` → scalar, `.none` → `[…]`.
    /// - Throws: `TensorError` when the label count or a label does not fit the logits.
    public static func crossEntropy(_ logits: Tensor, labels: [Int32], ignoreIndex: Int32 = defaultIgnoreIndex,
                                    reduction: Reduction = .mean) throws -> Tensor {
        let logp = try tokenLogProbs(logits, labels: labels, ignoreIndex: ignoreIndex)  // […]
        switch reduction {
        case .none:
            return -logp
        case .sum:
            return -logp.sum()
        case .mean:
            let counted = labels.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
            // 0/0 = NaN when nothing is counted, matching torch.
            return -logp.sum() / Float(counted)
        }
    }
}
