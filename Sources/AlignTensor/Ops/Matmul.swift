// Matmul: 2-D and batched matrix products through cblas_sgemm. Transposes are BLAS flags,
// so neither the forward nor the backward ever copies an operand.

/// Shapes of one matmul: op(a) is [batch] × M×K, op(b) is [batch or 1] × K×N.
struct MatmulShape: Equatable {
    var batch: Int, m: Int, n: Int, k: Int
    var outShape: [Int]
    var bBatched: Bool

    /// a: [..., M, K] (or [..., K, M] with transA); b: [K, N] or [batch..., K, N] (N×K with transB).
    /// A 2-D b is shared across a's leading dims; a 2-D+ a with a 2-D b folds leading dims into M.
    static func resolve(_ a: [Int], _ b: [Int], transA: Bool, transB: Bool) throws -> MatmulShape {
        let fail = TensorError.shapeMismatch(
            op: "matmul", shapes: [a, b],
            expected: "[…, M, K] × [K, N] (transA: \(transA), transB: \(transB)) with matching K and batch dims")
        guard a.count >= 2, b.count >= 2 else { throw fail }
        let (ar, ac) = (a[a.count - 2], a[a.count - 1])
        let (br, bc) = (b[b.count - 2], b[b.count - 1])
        let (m, ka) = transA ? (ac, ar) : (ar, ac)
        let (kb, n) = transB ? (bc, br) : (br, bc)
        guard ka == kb else { throw fail }
        let lead = Array(a.dropLast(2))
        if b.count == 2 {
            return MatmulShape(batch: Shape.count(lead), m: m, n: n, k: ka, outShape: lead + [m, n], bBatched: false)
        }
        guard Array(b.dropLast(2)) == lead else { throw fail }
        return MatmulShape(batch: Shape.count(lead), m: m, n: n, k: ka, outShape: lead + [m, n], bBatched: true)
    }
}

extension Tensor {
    /// The output shape of `matmul(a, b)` for operands of these shapes; throws naming both otherwise.
    public static func checkMatmul(_ a: [Int], _ b: [Int], transposeA: Bool = false, transposeB: Bool = false) throws -> [Int] {
        try MatmulShape.resolve(a, b, transA: transposeA, transB: transposeB).outShape
    }

    /// op(a) · op(b) where op transposes the last two dims when its flag is set.
    /// `a` may carry leading batch dims; `b` is either 2-D (shared) or has the same batch dims.
    ///
    /// Gradients (no flags): dA = G·Bᵀ, dB = Aᵀ·G; the flagged cases swap roles the same way,
    /// always as another sgemm with flags.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let s = checked { try MatmulShape.resolve(a.shape, b.shape, transA: transposeA, transB: transposeB) }
        let out = Tensor.uninitialized(s.outShape)
        gemm(a, b, out, s, transA: transposeA, transB: transposeB, beta: 0)
        // Only the operands that want a gradient get one (torch's needs_input_grad): a frozen weight — LoRA's
        // base, a frozen LM head — costs no [out, in] product in the backward.
        let (needA, needB) = (a.needsGrad, b.needsGrad)
        return record("matmul", out, [a, b]) { g in
            // dop(A) = G·op(B)ᵀ and dop(B) = op(A)ᵀ·G, then transposed back where a flag was set.
            let ga = !needA ? nil : transposeA
                ? batchedProduct(b, g, transX: transposeB, transY: true, batch: s.batch, outShape: a.shape, sumBatch: false)
                : matmul(g, b, transposeB: !transposeB)
            let gb = !needB ? nil : transposeB
                ? batchedProduct(g, a, transX: true, transY: transposeA, batch: s.batch, outShape: b.shape, sumBatch: !s.bBatched)
                : batchedProduct(a, g, transX: !transposeA, transY: false, batch: s.batch, outShape: b.shape, sumBatch: !s.bBatched)
            return [ga, gb]
        }
    }

    /// out[i] = op(x[i]) · op(y[i]) over `batch` products; a rank-2 operand is shared by all of
    /// them. With `sumBatch` the products are summed into one [M, N] result (the gradient of an
    /// operand that was shared across the batch).
    static func batchedProduct(_ x: Tensor, _ y: Tensor, transX: Bool, transY: Bool, batch: Int,
                               outShape: [Int], sumBatch: Bool) -> Tensor {
        let (xr, xc) = (x.shape[x.rank - 2], x.shape[x.rank - 1])
        let (yr, yc) = (y.shape[y.rank - 2], y.shape[y.rank - 1])
        let m = transX ? xc : xr, k = transX ? xr : xc, n = transY ? yr : yc
        let xStep = x.rank > 2 ? xr * xc : 0, yStep = y.rank > 2 ? yr * yc : 0
        let out = Tensor(zeros: outShape)
        x.withUnsafeBuffer { px in y.withUnsafeBuffer { py in out.withUnsafeMutableBuffer { po in
            if sumBatch && transX && !transY && xStep > 0 && yStep > 0 {
                // Σᵢ Xᵢᵀ Yᵢ = (X folded to [batch·rows, cols])ᵀ · (Y folded): one large sgemm.
                BLAS.sgemm(transA: true, transB: false, m: m, n: n, k: batch * k, a: px.baseAddress!, lda: xc,
                           b: py.baseAddress!, ldb: yc, c: po.baseAddress!, ldc: n)
                return
            }
            for i in 0 ..< batch {
                BLAS.sgemm(transA: transX, transB: transY, m: m, n: n, k: k,
                           a: px.baseAddress! + i * xStep, lda: xc, b: py.baseAddress! + i * yStep, ldb: yc,
                           beta: sumBatch ? 1 : 0, c: po.baseAddress! + (sumBatch ? 0 : i * m * n), ldc: n)
            }
        } } }
        return out
    }

    /// Runs the batched sgemm of `s` into `out` (beta = 0 overwrites, 1 accumulates).
    static func gemm(_ a: Tensor, _ b: Tensor, _ out: Tensor, _ s: MatmulShape, transA: Bool, transB: Bool, beta: Float) {
        let lda = a.shape[a.rank - 1], ldb = b.shape[b.rank - 1]
        a.withUnsafeBuffer { pa in b.withUnsafeBuffer { pb in out.withUnsafeMutableBuffer { po in
            if !s.bBatched && !transA {
                // Fold a's leading dims into M: one large sgemm instead of many small ones.
                BLAS.sgemm(transA: false, transB: transB, m: s.batch * s.m, n: s.n, k: s.k, a: pa.baseAddress!, lda: lda,
                           b: pb.baseAddress!, ldb: ldb, beta: beta, c: po.baseAddress!, ldc: s.n)
                return
            }
            for i in 0 ..< s.batch {
                BLAS.sgemm(transA: transA, transB: transB, m: s.m, n: s.n, k: s.k,
                           a: pa.baseAddress! + i * s.m * s.k, lda: lda,
                           b: pb.baseAddress! + (s.bBatched ? i * s.k * s.n : 0), ldb: ldb,
                           beta: beta, c: po.baseAddress! + i * s.m * s.n, ldc: s.n)
            }
        } } }
    }

    /// alpha · op(X)·op(Y) as an [m, n] (or `shape`) tensor, or accumulated into `into`. X and Y are row-major with
    /// their own last dimension as leading dimension (leading dims folded into rows); op transposes when its flag is
    /// set. Used by the backwards of fused ops that own their products (LoRALinear, SharedInputLinear).
    @discardableResult
    static func foldedProduct(_ x: Tensor, _ y: Tensor, transX: Bool, transY: Bool, m: Int, n: Int, k: Int,
                              alpha: Float = 1, shape: [Int]? = nil, into: Tensor? = nil) -> Tensor {
        let out = into ?? Tensor.uninitialized(shape ?? [m, n])
        let (ldx, ldy) = (x.shape.last ?? 0, y.shape.last ?? 0)
        x.withUnsafeBuffer { px in y.withUnsafeBuffer { py in out.withUnsafeMutableBuffer { po in
            guard let xp = px.baseAddress, let yp = py.baseAddress, let op = po.baseAddress else {
                if into == nil { po.update(repeating: 0) }  // an empty operand: the product is zero
                return
            }
            BLAS.sgemm(transA: transX, transB: transY, m: m, n: n, k: k, alpha: alpha, a: xp, lda: ldx, b: yp, ldb: ldy,
                       beta: into == nil ? 0 : 1, c: op, ldc: n)
        } } }
        return out
    }
}
