// Row gather: out[i] = x[indices[i]] along the first dimension, with a scatter-add backward.
// Used for sorting (AOT's quantile matching), batch reordering and index selection.

extension Tensor {
    /// Validates row indices against the first dimension of `shape`.
    public static func checkGatherRows(_ shape: [Int], _ indices: [Int]) throws {
        guard let rows = shape.first else {
            throw TensorError.shapeMismatch(op: "gatherRows", shapes: [shape], expected: "rank ≥ 1")
        }
        for i in indices where i < 0 || i >= rows {
            throw TensorError.indexOutOfRange(op: "gatherRows", index: i, bound: rows)
        }
    }

    /// Rows `indices` of the first dimension, in that order (repeats allowed). Backward adds each
    /// output row's gradient into the row it came from.
    public func gatherRows(_ indices: [Int]) -> Tensor {
        checked { try Tensor.checkGatherRows(shape, indices) }
        let inner = count / Swift.max(shape[0], 1)
        var outShape = shape
        outShape[0] = indices.count
        let out = Tensor.uninitialized(outShape)
        withUnsafeBuffer { x in out.withUnsafeMutableBuffer { y in
            for (r, src) in indices.enumerated() {
                for j in 0 ..< inner { y[r * inner + j] = x[src * inner + j] }
            }
        } }
        return Tensor.record("gatherRows", out, [self]) { [shape] g in
            let dx = Tensor(zeros: shape)
            g.withUnsafeBuffer { gp in dx.withUnsafeMutableBuffer { d in
                for (r, src) in indices.enumerated() {
                    for j in 0 ..< inner { d[src * inner + j] += gp[r * inner + j] }
                }
            } }
            return [dx]
        }
    }

    /// Indices that sort a 1-D tensor ascending (stable), like `torch.sort(...).indices`.
    public func argsort() -> [Int] {
        let v = scalars
        return v.indices.sorted { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) }
    }
}
