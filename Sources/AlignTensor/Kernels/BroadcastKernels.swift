// Broadcasting kernels: binary elementwise ops over broadcast shapes, and the reduction
// that undoes a broadcast (sum a gradient back to an operand's shape).

/// Binary elementwise operations. Forward and derivatives live together in `Rules.swift`.
public enum BinaryOp: Sendable {
    case add, sub, mul, div, maximum, minimum

    @inline(__always) @usableFromInline
    func apply(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .maximum: return Swift.max(a, b)
        case .minimum: return Swift.min(a, b)
        }
    }
}

enum BroadcastKernels {
    /// out = op(a, b) with `a`, `b` read through broadcast strides onto `outShape`.
    static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, outShape: [Int]) -> Tensor {
        let out = Tensor.uninitialized(outShape)
        let n = out.count
        a.withUnsafeBuffer { pa in b.withUnsafeBuffer { pb in out.withUnsafeMutableBuffer { po in
            if a.shape == outShape && b.shape == outShape {
                switch op {  // one loop per op so each vectorizes
                case .add: Parallel.forRanges(n) { r in for i in r { po[i] = pa[i] + pb[i] } }
                case .sub: Parallel.forRanges(n) { r in for i in r { po[i] = pa[i] - pb[i] } }
                case .mul: Parallel.forRanges(n) { r in for i in r { po[i] = pa[i] * pb[i] } }
                default: Parallel.forRanges(n) { r in for i in r { po[i] = op.apply(pa[i], pb[i]) } }
                }
            } else if a.shape == outShape && pb.count == 1 {
                let s = pb[0]
                Parallel.forRanges(n) { r in for i in r { po[i] = op.apply(pa[i], s) } }
            } else if b.shape == outShape && pa.count == 1 {
                let s = pa[0]
                Parallel.forRanges(n) { r in for i in r { po[i] = op.apply(s, pb[i]) } }
            } else if a.shape == outShape && isSuffix(b.shape, of: outShape) {
                let m = pb.count  // b repeats every m elements (e.g. a bias over the last dim)
                Parallel.forRanges(n / m, costPerItem: m) { r in
                    for row in r { for j in 0 ..< m { po[row * m + j] = op.apply(pa[row * m + j], pb[j]) } }
                }
            } else {
                general(op, pa, a.shape, pb, b.shape, po, outShape)
            }
        } } }
        return out
    }

    /// True when `s` equals the trailing dims of `full` (leading 1s ignored).
    static func isSuffix(_ s: [Int], of full: [Int]) -> Bool {
        let t = Array(s.drop(while: { $0 == 1 }))
        return t.count <= full.count && Array(full.suffix(t.count)) == t && Shape.count(t) > 0
    }

    /// Any broadcast: walk the output index with per-operand strides (0 on stretched dims).
    private static func general(_ op: BinaryOp, _ pa: UnsafeBufferPointer<Float>, _ sa: [Int],
                                _ pb: UnsafeBufferPointer<Float>, _ sb: [Int],
                                _ po: UnsafeMutableBufferPointer<Float>, _ so: [Int]) {
        let ra = Shape.broadcastStrides(sa, to: so), rb = Shape.broadcastStrides(sb, to: so)
        var idx = [Int](repeating: 0, count: so.count)
        var ia = 0, ib = 0
        for i in 0 ..< po.count {
            po[i] = op.apply(pa[ia], pb[ib])
            var d = so.count - 1
            while d >= 0 {  // odometer increment
                idx[d] += 1; ia += ra[d]; ib += rb[d]
                if idx[d] < so[d] { break }
                ia -= ra[d] * so[d]; ib -= rb[d] * so[d]; idx[d] = 0
                d -= 1
            }
        }
    }

    /// Sums `g` (of a broadcast shape) down to `shape`: the gradient of a broadcast.
    static func sumTo(_ g: Tensor, _ shape: [Int]) -> Tensor {
        if g.shape == shape { return g }
        let out = Tensor(zeros: shape)
        g.withUnsafeBuffer { pg in out.withUnsafeMutableBuffer { po in
            if po.count == 1 {
                var s: Double = 0
                for v in pg { s += Double(v) }
                po[0] = Float(s)
            } else if isSuffix(shape, of: g.shape) {
                let m = po.count
                for row in 0 ..< pg.count / m { for j in 0 ..< m { po[j] += pg[row * m + j] } }
            } else {
                let rs = Shape.broadcastStrides(shape, to: g.shape)
                var idx = [Int](repeating: 0, count: g.shape.count)
                var io = 0
                for i in 0 ..< pg.count {
                    po[io] += pg[i]
                    var d = g.shape.count - 1
                    while d >= 0 {
                        idx[d] += 1; io += rs[d]
                        if idx[d] < g.shape[d] { break }
                        io -= rs[d] * g.shape[d]; idx[d] = 0
                        d -= 1
                    }
                }
            }
        } }
        return out
    }
}
