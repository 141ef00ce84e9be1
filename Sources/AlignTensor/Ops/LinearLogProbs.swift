// Linear + token log-probabilities: log softmax(h · Wᵀ)[label] per row, the LM head and the fused
// log-softmax+gather (LogProbs.swift) as ONE recorded op, computed in chunks of rows and only for rows
// whose label is not the ignore index. It never holds the logits of more than one chunk: the forward
// keeps only the hidden states (already alive as the LM head's input) and one log-sum-exp per row, and
// the backward recomputes each chunk's logits, turns them into dlogits in place and multiplies them
// out (dh = dlogits · W, dW += dlogitsᵀ · h). The same idea as the "chunked / fused linear
// cross-entropy" of Liger-Kernel (LigerFusedLinearCrossEntropy) and Apple's Cut Cross-Entropy
// (Wijmans et al. 2024), written here for log-probs of given labels instead of a loss.
//
// Against `tokenLogProbs(matmul(h, W, transposeB: true), labels:)` (which TRL's selective_log_softmax
// matches): the values are the same up to sgemm's blocking of each chunk, rows labelled
// `ignoreIndex` get 0 and no gradient in both, and their logits are not computed here at all —
// for completion-only DPO the prompt positions, about half of the LM head's work and memory.
// Left out: temperature, the log-sum-exp output, a bias on the head.
//
// Keeping the logits: when the op records a gradient and all active rows' logits fit in
// `keepLogitsBytes` (default 512 MiB), the forward writes every chunk into one kept [active, V] buffer and
// the backward turns it into dlogits in place instead of recomputing h·Wᵀ. At a 135M Llama's DPO step
// (2,048 completion rows × 49,152) that is 403 MB held from the forward to the backward, against one
// [256, V]·[V, 576] sgemm per chunk — ~0.9 s of a ~29 s step on 2 cores (ALIGNKIT_PROFILE). Larger
// vocabularies or batches fall back to recomputing, so memory stays bounded.

/// What the backward needs: the operands, the active rows and their log-sum-exps.
private struct LinearLogProbSaved {
    let hidden: Tensor   // [N, C]
    let weight: Tensor   // [V, C]
    let active: [Int32]  // rows whose label is not ignored, ascending
    let labels: [Int32]  // [active.count] their labels
    let lse: [Float]     // [active.count] log Σ exp(logits) of each active row
    let chunkRows: Int
    let kept: Tensor?    // [active.count, V] the forward's logits, or nil when the backward recomputes them
}

extension Tensor {
    /// log softmax(hidden · weightᵀ)[label] per row, without materializing more than `chunkRows` rows of
    /// logits at once, and without computing logits for rows labelled `ignoreIndex` (0, no gradient).
    ///
    ///     let logp = try Tensor.linearTokenLogProbs(h, weight: lmHead, labels: labels)  // [N, C]·[V, C]ᵀ → [N]
    ///
    /// - Parameters:
    ///   - hidden: `[N, C]` final hidden states (one row per position).
    ///   - weight: `[V, C]` LM-head weight (nn.Linear layout).
    ///   - labels: N ids, each in `0..<V` or `ignoreIndex`.
    ///   - chunkRows: active rows per chunk (≥ 1); peak extra memory is chunkRows·V floats, or the
    ///     kept logits (active rows·V floats) while a gradient is pending and they fit `keepLogitsBytes`.
    ///   - keepLogitsBytes: the most logit memory kept from the forward for the backward; 0 always recomputes.
    /// - Returns: `[N]` log-probabilities; differentiable with respect to `hidden` and `weight`.
    /// - Throws: `TensorError` when shapes, the label count or a label do not fit.
    public static func linearTokenLogProbs(_ hidden: Tensor, weight: Tensor, labels: [Int32],
                                           ignoreIndex: Int32 = defaultIgnoreIndex, chunkRows: Int = 256,
                                           keepLogitsBytes: Int = 512 << 20) throws -> Tensor {
        guard hidden.rank == 2, weight.rank == 2, hidden.shape[1] == weight.shape[1] else {
            throw TensorError.shapeMismatch(op: "linearTokenLogProbs", shapes: [hidden.shape, weight.shape],
                                            expected: "hidden [N, C] and weight [V, C]")
        }
        let (n, v) = (hidden.shape[0], weight.shape[0])
        try checkLabels([n, v], labels, ignoreIndex: ignoreIndex, op: "linearTokenLogProbs")
        var active: [Int32] = [], activeLabels: [Int32] = []
        for (r, label) in labels.enumerated() where label != ignoreIndex {
            active.append(Int32(r))
            activeLabels.append(label)
        }
        let logp = Tensor(zeros: [n])  // [N]; ignored rows stay 0
        var lse = [Float](repeating: 0, count: active.count)
        let grad = (hidden.needsGrad || weight.needsGrad) && Autograd.isEnabled
        let keep = grad && active.count * v * MemoryLayout<Float>.size <= keepLogitsBytes
        let kept = keep ? Tensor.uninitialized([active.count, v]) : nil
        // The chunk walker needs no log-sum-exps; the backward's copy (`full`, below) carries them.
        let saved = LinearLogProbSaved(hidden: hidden, weight: weight, active: active, labels: activeLabels, lse: [],
                                       chunkRows: max(chunkRows, 1), kept: nil)
        logp.withUnsafeMutableBuffer { out in lse.withUnsafeMutableBufferPointer { ls in
            saved.forEachChunk(storingInto: kept) { range, logits in
                var chunkLogp = [Float](repeating: 0, count: range.count)
                chunkLogp.withUnsafeMutableBufferPointer { lp in activeLabels.withUnsafeBufferPointer { lab in
                    LogProbKernels.forward(logits: UnsafeBufferPointer(logits),
                                           labels: UnsafeBufferPointer(rebasing: lab[range]), v: v, scale: 1,
                                           ignoreIndex: ignoreIndex, logp: lp,
                                           lse: UnsafeMutableBufferPointer(rebasing: ls[range]))
                } }
                for (i, r) in range.enumerated() { out[Int(active[r])] = chunkLogp[i] }
            }
        } }
        let full = LinearLogProbSaved(hidden: hidden, weight: weight, active: active, labels: activeLabels, lse: lse,
                                      chunkRows: saved.chunkRows, kept: kept)
        return record("linearTokenLogProbs", logp, [hidden, weight]) { g in full.backward(g) }
    }
}

extension LinearLogProbSaved {
    /// Calls `body(range, logits)` for each chunk of active rows, `logits` = [range.count, V] = h[rows] · Wᵀ
    /// (the body may overwrite it). The logits are the kept ones when the forward kept them; otherwise they
    /// are computed into `store`'s rows range when given ([active.count, V], the forward keeping them), else
    /// into a scratch buffer reused by the next chunk.
    func forEachChunk(storingInto store: Tensor? = nil, _ body: (Range<Int>, UnsafeMutableBufferPointer<Float>) -> Void) {
        let (c, v) = (hidden.shape[1], weight.shape[0])
        let rowsPerChunk = min(chunkRows, max(active.count, 1))
        let ranges = stride(from: 0, to: active.count, by: rowsPerChunk).map { $0 ..< min($0 + rowsPerChunk, active.count) }
        if let kept {
            kept.withUnsafeMutableBuffer { pk in
                for range in ranges { body(range, UnsafeMutableBufferPointer(rebasing: pk[range.lowerBound * v ..< range.upperBound * v])) }
            }
            return
        }
        if let store, !active.isEmpty {
            // Every active row in one product: the [V, C] weight (113 MB for a 135M Llama) is streamed once
            // rather than once per chunk.
            let x = Tensor.uninitialized([max(active.count, 1), c])
            gatherRows(0 ..< active.count, into: x)
            x.withUnsafeBuffer { px in weight.withUnsafeBuffer { pw in store.withUnsafeMutableBuffer { pl in
                BLAS.sgemm(transA: false, transB: true, m: active.count, n: v, k: c, a: px.baseAddress!, lda: c,
                           b: pw.baseAddress!, ldb: c, c: pl.baseAddress!, ldc: v)
                for range in ranges { body(range, UnsafeMutableBufferPointer(rebasing: pl[range.lowerBound * v ..< range.upperBound * v])) }
            } } }
            return
        }
        let x = Tensor.uninitialized([rowsPerChunk, c])       // gathered hidden rows
        let logits = Tensor.uninitialized([rowsPerChunk, v])  // one chunk of logits
        for range in ranges {
            gatherRows(range, into: x)
            x.withUnsafeBuffer { px in weight.withUnsafeBuffer { pw in logits.withUnsafeMutableBuffer { pl in
                BLAS.sgemm(transA: false, transB: true, m: range.count, n: v, k: c, a: px.baseAddress!, lda: c,
                           b: pw.baseAddress!, ldb: c, c: pl.baseAddress!, ldc: v)
                body(range, UnsafeMutableBufferPointer(rebasing: pl[0 ..< range.count * v]))
            } } }
        }
    }

    /// Copies hidden rows active[range] into the first range.count rows of `x` ([chunk, C]).
    func gatherRows(_ range: Range<Int>, into x: Tensor) {
        let c = hidden.shape[1]
        hidden.withUnsafeBuffer { h in x.withUnsafeMutableBuffer { dst in
            for (i, r) in range.enumerated() {
                (dst.baseAddress! + i * c).update(from: h.baseAddress! + Int(active[r]) * c, count: c)
            }
        } }
    }

    /// (dhidden [N, C], dweight [V, C]) for the upstream gradient `g` [N]; nil for an operand needing none.
    /// With kept logits, every chunk's dlogits are formed in place first and then multiplied out in one product
    /// each, so dW is written once and W streamed once; otherwise chunk by chunk.
    func backward(_ g: Tensor) -> [Tensor?] {
        let dh: Tensor? = hidden.needsGrad ? Tensor(zeros: hidden.shape) : nil
        let dw: Tensor? = weight.needsGrad ? Tensor(zeros: weight.shape) : nil
        guard !active.isEmpty else { return [dh, dw] }  // every label ignored: zero gradients
        let gAll = g.scalars
        if let kept {
            forEachChunk { range, logits in dlogitsInPlace(range, logits, gAll) }
            let x = Tensor.uninitialized([max(active.count, 1), hidden.shape[1]])
            kept.withUnsafeBuffer { multiplyOut(0 ..< active.count, dlogits: $0.baseAddress!, x: x, dh: dh, dw: dw) }
            return [dh, dw]
        }
        let x = Tensor.uninitialized([min(chunkRows, max(active.count, 1)), hidden.shape[1]])  // the chunk's hidden rows
        forEachChunk { range, logits in
            dlogitsInPlace(range, logits, gAll)
            multiplyOut(range, dlogits: UnsafePointer(logits.baseAddress!), x: x, dh: dh, dw: dw)
        }
        return [dh, dw]
    }

    /// Overwrites the logits of active rows `range` with their dlogits (the kernel reads each element before
    /// writing it). Kept logits may be overwritten too: the graph runs its backward once and then releases this op.
    func dlogitsInPlace(_ range: Range<Int>, _ logits: UnsafeMutableBufferPointer<Float>, _ gAll: [Float]) {
        let gLogp = range.map { gAll[Int(active[$0])] }
        gLogp.withUnsafeBufferPointer { gl in labels.withUnsafeBufferPointer { lab in lse.withUnsafeBufferPointer { ls in
            LogProbKernels.backward(logits: UnsafeBufferPointer(logits), labels: UnsafeBufferPointer(rebasing: lab[range]),
                                    v: weight.shape[0], scale: 1, ignoreIndex: Tensor.defaultIgnoreIndex,
                                    lse: UnsafeBufferPointer(rebasing: ls[range]), gLogp: gl, gLse: nil, dlogits: logits)
        } } }
    }

    /// dW += dlogitsᵀ · h[rows] and dh[rows] = dlogits · W for active rows `range`, whose dlogits
    /// ([range.count, V]) start at `dlogits`; `x` ([≥ range.count, C]) is scratch for the gathered rows.
    func multiplyOut(_ range: Range<Int>, dlogits: UnsafePointer<Float>, x: Tensor, dh: Tensor?, dw: Tensor?) {
        let (c, v, k) = (hidden.shape[1], weight.shape[0], range.count)
        gatherRows(range, into: x)
        if let dw {
            x.withUnsafeBuffer { px in dw.withUnsafeMutableBuffer { pd in
                BLAS.sgemm(transA: true, transB: false, m: v, n: c, k: k, a: dlogits, lda: v,
                           b: px.baseAddress!, ldb: c, beta: 1, c: pd.baseAddress!, ldc: c)
            } }
        }
        if let dh {  // straight into the active rows (each appears once), through x once dW has used it
            x.withUnsafeMutableBuffer { px in weight.withUnsafeBuffer { pw in
                BLAS.sgemm(transA: false, transB: false, m: k, n: c, k: v, a: dlogits, lda: v,
                           b: pw.baseAddress!, ldb: c, c: px.baseAddress!, ldc: c)
                dh.withUnsafeMutableBuffer { pd in
                    for (i, r) in range.enumerated() {
                        (pd.baseAddress! + Int(active[r]) * c).update(from: px.baseAddress! + i * c, count: c)
                    }
                }
            } }
        }
    }
}
