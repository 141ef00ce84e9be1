// Reductions: sum and mean over all elements or one axis, and max (values only) for metrics.
// Sums accumulate in Float64 per output element so long reductions do not drift.

extension Tensor {
    /// Sum of all elements, as a scalar tensor.
    public func sum() -> Tensor {
        let out = Tensor(zeros: [])
        out.storage.buffer[0] = withUnsafeBuffer { x in
            var s: Double = 0
            for v in x { s += Double(v) }
            return Float(s)
        }
        return Tensor.record("sum", out, [self]) { [shape] g in [g.broadcast(to: shape)] }
    }

    /// Mean of all elements, as a scalar tensor.
    public func mean() -> Tensor {
        sum() / Float(Swift.max(count, 1))
    }

    /// Sum over `axis` (negative counts from the end); `keepDims` leaves a dim of 1 in its place.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = checked { try Shape.axis(axis, rank: rank, op: "sum(axis:)") }
        let (outer, n, inner) = splitAt(ax)
        var kept = shape
        kept[ax] = 1
        let out = Tensor(zeros: kept)
        withUnsafeBuffer { x in out.withUnsafeMutableBuffer { y in
            for o in 0 ..< outer {
                for i in 0 ..< inner {
                    var s: Double = 0
                    for j in 0 ..< n { s += Double(x[(o * n + j) * inner + i]) }
                    y[o * inner + i] = Float(s)
                }
            }
        } }
        let result = keepDims ? out : out.reshaped(shape.enumerated().filter { $0.offset != ax }.map(\.element))
        return Tensor.record("sum(axis:)", result.detached(), [self]) { [shape] g in
            [g.reshaped(kept).broadcast(to: shape)]
        }
    }

    /// Mean over `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = checked { try Shape.axis(axis, rank: rank, op: "mean(axis:)") }
        return sum(axis: ax, keepDims: keepDims) / Float(Swift.max(shape[ax], 1))
    }

    /// Maximum over the last axis (values only, not differentiable): for metrics and masks.
    public func maxLastAxis() -> Tensor {
        let n = shape.last ?? 1
        let out = Tensor.uninitialized(Array(shape.dropLast()))
        withUnsafeBuffer { x in out.withUnsafeMutableBuffer { y in
            for r in 0 ..< y.count {
                var m = -Float.infinity
                for j in 0 ..< n { m = Swift.max(m, x[r * n + j]) }
                y[r] = m
            }
        } }
        return out
    }

    /// (product of dims before `axis`, dim at `axis`, product of dims after).
    func splitAt(_ axis: Int) -> (Int, Int, Int) {
        (Shape.count(Array(shape[..<axis])), shape[axis], Shape.count(Array(shape[(axis + 1)...])))
    }
}
