// Embedding lookup: rows of a weight matrix [V, C] picked by token ids, with the scatter-add
// backward (torch.nn.functional.embedding, including padding_idx: that row gets no gradient).
// Ids come from data, so they are validated and an out-of-range id throws. Kernels:
// Kernels/EmbeddingKernels.swift. Left out: max_norm renormalization and sparse gradients.

extension Tensor {
    /// Validates `weight` `[V, C]` and `ids` of `shape` (each in 0..<V); throws naming the op.
    public static func checkEmbedding(_ weightShape: [Int], ids: [Int32], shape: [Int], paddingIndex: Int32?) throws {
        guard weightShape.count == 2 else {
            throw TensorError.shapeMismatch(op: "embedding", shapes: [weightShape], expected: "weight of rank 2 ([V, C])")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError.invalidShape(op: "embedding ids", shape: shape) }
        guard ids.count == Shape.count(shape) else {
            throw TensorError.sizeMismatch(what: "embedding ids", shape: shape, expected: Shape.count(shape),
                                           actual: ids.count)
        }
        let v = weightShape[0]
        if let p = paddingIndex, p < 0 || Int(p) >= v {
            throw TensorError.indexOutOfRange(op: "embedding paddingIndex", index: Int(p), bound: v)
        }
        for id in ids where id < 0 || Int(id) >= v {
            throw TensorError.indexOutOfRange(op: "embedding", index: Int(id), bound: v)
        }
    }

    /// Looks up `weight` rows: ids of `shape` → `[shape…, C]`.
    ///
    ///     let h = try Tensor.embedding(wte, ids: tokens, shape: [B, T])   // wte: [V, C] → [B, T, C]
    ///
    /// - Parameters:
    ///   - weight: `[V, C]` embedding table.
    ///   - ids: token ids, row-major over `shape`, each in `0..<V`.
    ///   - shape: the ids' shape (e.g. `[B, T]`).
    ///   - paddingIndex: an id whose row receives no gradient (torch's `padding_idx`), or nil.
    /// - Throws: `TensorError.indexOutOfRange` for an id outside the table, `sizeMismatch` when the
    ///   id count does not match `shape`, `shapeMismatch` when `weight` is not 2-D.
    public static func embedding(_ weight: Tensor, ids: [Int32], shape: [Int], paddingIndex: Int32? = nil) throws -> Tensor {
        try checkEmbedding(weight.shape, ids: ids, shape: shape, paddingIndex: paddingIndex)
        let c = weight.shape[1]
        let out = Tensor.uninitialized(shape + [c])  // [shape…, C]
        weight.withUnsafeBuffer { w in ids.withUnsafeBufferPointer { idp in out.withUnsafeMutableBuffer { o in
            EmbeddingKernels.gather(weight: w, ids: idp, c: c, out: o)
        } } }
        return record("embedding", out, [weight]) { [wshape = weight.shape] g in
            let dw = Tensor(zeros: wshape)  // [V, C]
            g.withUnsafeBuffer { gp in ids.withUnsafeBufferPointer { idp in dw.withUnsafeMutableBuffer { d in
                EmbeddingKernels.scatterAdd(g: gp, ids: idp, c: c, skip: paddingIndex, dweight: d)
            } } }
            return [dw]
        }
    }
}
