// Shape ops: reshape and row ranges are views; broadcast, permute and concatenation copy.

extension Tensor {
    /// Resolves `newShape` (one dim may be -1) against `shape`; throws naming both when counts differ.
    /// Checks that `newShape` (one dim may be -1) has as many elements as `shape`.
    public static func checkReshape(_ shape: [Int], _ newShape: [Int]) throws -> [Int] {
        let n = Shape.count(shape)
        let unknown = newShape.filter { $0 == -1 }.count
        let known = newShape.filter { $0 != -1 }
        guard unknown <= 1, known.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.shapeMismatch(op: "reshape", shapes: [shape, newShape], expected: "at most one -1 and no other negative dims")
        }
        let k = Shape.count(known)
        var out = newShape
        if unknown == 1 {
            guard k > 0, n % k == 0 else {
                throw TensorError.shapeMismatch(op: "reshape", shapes: [shape, newShape], expected: "\(n) elements")
            }
            out[newShape.firstIndex(of: -1)!] = n / k
        } else if k != n {
            throw TensorError.shapeMismatch(op: "reshape", shapes: [shape, newShape], expected: "\(n) elements")
        }
        return out
    }

    /// A view with a new shape (one dim may be -1). Shares storage.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let s = checked { try Tensor.checkReshape(shape, newShape) }
        let out = Tensor(storage: storage, offset: offset, shape: s)
        return Tensor.record("reshape", out, [self]) { [shape] g in [g.reshaped(shape)] }
    }

    /// Rows `range` of the first dimension, as a view sharing storage.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows: range \(range) outside first dim of \(shape)")
        let inner = count / Swift.max(shape[0], 1)
        var s = shape
        s[0] = range.count
        let out = Tensor(storage: storage, offset: offset + range.lowerBound * inner, shape: s)
        return Tensor.record("rows", out, [self]) { [shape] g in
            let full = Tensor(zeros: shape)
            full.rows(range).assign(g)
            return [full]
        }
    }

    /// Materializes this tensor broadcast to `target` (PyTorch rules); backward sums back.
    public func broadcast(to target: [Int]) -> Tensor {
        let s = checked { try Shape.broadcast(shape, target, op: "broadcast(to:)") }
        precondition(s == target, "broadcast(to:): \(shape) cannot stretch to \(target)")
        if shape == target { return self }
        let out = BroadcastKernels.binary(.add, Tensor(zeros: []), self.detached(), outShape: target)
        return Tensor.record("broadcast", out, [self]) { [shape] g in [BroadcastKernels.sumTo(g, shape)] }
    }

    /// Reorders dimensions (copies): `permuted([0, 2, 1, 3])` turns [B,T,H,D] into [B,H,T,D].
    public func permuted(_ dims: [Int]) -> Tensor {
        precondition(dims.sorted() == Array(0 ..< rank), "permuted: \(dims) is not a permutation of 0..<\(rank)")
        let outShape = dims.map { shape[$0] }
        let inStrides = Shape.strides(shape)
        let src = dims.map { inStrides[$0] }  // input stride of each output dim
        let out = Tensor.uninitialized(outShape)
        withUnsafeBuffer { x in out.withUnsafeMutableBuffer { y in
            var idx = [Int](repeating: 0, count: rank)
            var ix = 0
            for i in 0 ..< y.count {
                y[i] = x[ix]
                var d = rank - 1
                while d >= 0 {
                    idx[d] += 1; ix += src[d]
                    if idx[d] < outShape[d] { break }
                    ix -= src[d] * outShape[d]; idx[d] = 0
                    d -= 1
                }
            }
        } }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in dims.enumerated() { inverse[d] = i }
        return Tensor.record("permute", out, [self]) { g in [g.permuted(inverse)] }
    }

    /// Swaps the last two dimensions (copies).
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed: needs rank ≥ 2, got \(shape)")
        var d = Array(0 ..< rank)
        d.swapAt(rank - 1, rank - 2)
        return permuted(d)
    }

    /// Concatenates along the first dimension; all other dims must agree.
    public static func concat(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "concat: no tensors")
        let tail = Array(parts[0].shape.dropFirst())
        for p in parts where Array(p.shape.dropFirst()) != tail {
            shapeFailure(TensorError.shapeMismatch(op: "concat", shapes: parts.map(\.shape), expected: "equal trailing dims"))
        }
        let rowsTotal = parts.reduce(0) { $0 + $1.shape[0] }
        let out = Tensor.uninitialized([rowsTotal] + tail)
        var start = 0
        var ranges: [Range<Int>] = []
        for p in parts {
            out.rows(start ..< start + p.shape[0]).assign(p)
            ranges.append(start ..< start + p.shape[0])
            start += p.shape[0]
        }
        return record("concat", out.detached(), parts) { g in ranges.map { g.rows($0).copy() } }
    }
}
