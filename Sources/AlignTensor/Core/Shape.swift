// Shape helpers: element counts, strides and NumPy/PyTorch broadcasting rules.

/// Shape utilities shared by ops. Shapes are row-major `[Int]`, outermost first.
public enum Shape {
    /// Number of elements of `shape` (1 for a scalar `[]`).
    @inlinable public static func count(_ shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// Row-major strides of a contiguous tensor of `shape`.
    public static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    /// The broadcast shape of `a` and `b` (PyTorch semantics: align trailing dims; a dim of 1 stretches).
    public static func broadcast(_ a: [Int], _ b: [Int], op: String = "broadcast") throws -> [Int] {
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                throw TensorError.shapeMismatch(op: op, shapes: [a, b], expected: "broadcastable shapes")
            }
        }
        return out
    }

    /// Strides for reading a tensor of `shape` as if it had shape `target` (0 on stretched dims).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let lead = target.count - shape.count
        return (0..<target.count).map { i in
            i < lead ? 0 : (shape[i - lead] == 1 && target[i] != 1 ? 0 : own[i - lead])
        }
    }

    /// Normalizes a possibly negative axis for a tensor of `rank`.
    static func axis(_ axis: Int, rank: Int, op: String) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < max(rank, 1) else {
            throw TensorError.shapeMismatch(op: op, shapes: [[rank]], expected: "axis \(axis) within rank \(rank)")
        }
        return a
    }
}
