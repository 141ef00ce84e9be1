// Token log-probabilities: the fused "log-softmax + gather" op, log p(label | logits) per position,
// optionally with the log-sum-exp, never materializing a vocab-sized log-softmax. Mirrors
// torch.log_softmax(logits / temperature, -1).gather(-1, labels) with TRL's label −100 masking
// (logp 0 and no gradient at ignored positions). Kernels and the derivation:
// Kernels/LogProbKernels.swift. Temperature multiplies by 1/T instead of dividing by T (the
// results differ from torch's division by at most one rounding of each logit).

/// Saved state shared by the two outputs' backward functions.
private struct LogProbSaved {
    let logits: Tensor   // [N…, V]
    let labels: [Int32]  // N…
    let lse: Tensor      // [N…]
    let scale: Float
    let ignoreIndex: Int32
}

extension Tensor {
    /// Label −100 marks positions without a target, as in PyTorch and TRL.
    public static let defaultIgnoreIndex: Int32 = -100

    /// Validates logits `[…, V]` and `labels` (one per row, each in 0..<V or `ignoreIndex`).
    /// Throws `shapeMismatch`, `sizeMismatch` or `indexOutOfRange` naming `op`.
    public static func checkLabels(_ logitsShape: [Int], _ labels: [Int32], ignoreIndex: Int32, op: String) throws {
        guard let v = logitsShape.last else {
            throw TensorError.shapeMismatch(op: op, shapes: [logitsShape], expected: "logits of rank ≥ 1 ([…, V])")
        }
        let rowsShape = Array(logitsShape.dropLast())
        guard labels.count == Shape.count(rowsShape) else {
            throw TensorError.sizeMismatch(what: "\(op) labels", shape: rowsShape,
                                           expected: Shape.count(rowsShape), actual: labels.count)
        }
        for label in labels where label != ignoreIndex && (label < 0 || Int(label) >= v) {
            throw TensorError.indexOutOfRange(op: "\(op) label", index: Int(label), bound: v)
        }
    }

    /// log softmax(logits / temperature)[label] for every position: `[…, V]` logits and one label per
    /// position → `[…]`. Positions labelled `ignoreIndex` get 0 and pass no gradient.
    ///
    ///     let logp = try Tensor.tokenLogProbs(logits, labels: labels)   // [B, T, V], B·T labels → [B, T]
    ///
    /// - Parameters:
    ///   - logits: `[…, V]` unnormalized scores.
    ///   - labels: one id per row of `logits`, row-major; each in `0..<V` or `ignoreIndex`.
    ///   - ignoreIndex: label marking positions without a target (default −100).
    ///   - temperature: divides the logits first (> 0; 1, the default, is the plain log-softmax).
    /// - Throws: `TensorError` when the label count or a label does not fit the logits.
    public static func tokenLogProbs(_ logits: Tensor, labels: [Int32], ignoreIndex: Int32 = defaultIgnoreIndex,
                                     temperature: Float = 1) throws -> Tensor {
        try tokenLogProbsAndLogSumExp(logits, labels: labels, ignoreIndex: ignoreIndex,
                                      temperature: temperature).logProbs
    }

    /// As `tokenLogProbs`, also returning log Σ exp(logits / temperature) per position (`[…]`), for
    /// z-losses and entropy-style metrics. Both outputs are differentiable; each records its own
    /// backward, and both read the same saved log-sum-exp.
    public static func tokenLogProbsAndLogSumExp(
        _ logits: Tensor, labels: [Int32], ignoreIndex: Int32 = defaultIgnoreIndex, temperature: Float = 1
    ) throws -> (logProbs: Tensor, logSumExp: Tensor) {
        try checkLabels(logits.shape, labels, ignoreIndex: ignoreIndex, op: "tokenLogProbs")
        precondition(temperature > 0 && temperature.isFinite, "tokenLogProbs: temperature \(temperature) must be > 0")
        let rowsShape = Array(logits.shape.dropLast())
        let v = logits.shape[logits.rank - 1]
        let scale: Float = temperature == 1 ? 1 : 1 / temperature
        let logp = Tensor.uninitialized(rowsShape), lse = Tensor.uninitialized(rowsShape)  // […] each
        logits.withUnsafeBuffer { x in labels.withUnsafeBufferPointer { lab in
            logp.withUnsafeMutableBuffer { lp in lse.withUnsafeMutableBuffer { ls in
                LogProbKernels.forward(logits: x, labels: lab, v: v, scale: scale, ignoreIndex: ignoreIndex,
                                       logp: lp, lse: ls)
            } }
        } }
        let saved = LogProbSaved(logits: logits, labels: labels, lse: lse.detached(), scale: scale,
                                 ignoreIndex: ignoreIndex)
        record("tokenLogProbs", logp, [logits]) { g in [saved.backward(gLogp: g, gLse: nil)] }
        record("logSumExp", lse, [logits]) { g in [saved.backward(gLogp: nil, gLse: g)] }
        return (logp, lse)
    }
}

extension LogProbSaved {
    /// dlogits `[…, V]` for upstream gradients of either output (`[…]` each).
    func backward(gLogp: Tensor?, gLse: Tensor?) -> Tensor {
        let v = logits.shape[logits.rank - 1]
        let d = Tensor.uninitialized(logits.shape)  // […, V]
        logits.withUnsafeBuffer { x in labels.withUnsafeBufferPointer { lab in lse.withUnsafeBuffer { ls in
            d.withUnsafeMutableBuffer { dp in
                optionalBuffer(gLogp) { gl in optionalBuffer(gLse) { gs in
                    LogProbKernels.backward(logits: x, labels: lab, v: v, scale: scale, ignoreIndex: ignoreIndex,
                                            lse: ls, gLogp: gl, gLse: gs, dlogits: dp)
                } }
            }
        } } }
        return d
    }
}

/// Calls `body` with the tensor's buffer, or nil when there is no tensor.
private func optionalBuffer<R>(_ t: Tensor?, _ body: (UnsafeBufferPointer<Float>?) -> R) -> R {
    guard let t else { return body(nil) }
    return t.withUnsafeBuffer { body($0) }
}
