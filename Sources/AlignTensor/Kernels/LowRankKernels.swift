// LowRankKernels: the one LoRA product OpenBLAS runs slowly — project, C[N, r] = α · X[N, K] · W[K, r]
// (h = xₐ·Aᵀ in the forward, gh = g·B in the backward): an output only r wide. Rows go in fours across threads,
// each output row in registers (4 rows × 16 lanes: six loads feed eight FMAs), one pass over X; r a multiple of
// 8 takes this path, any other r a plain loop. `align bench kernels --groups lora` times it beside sgemm: at a
// 135M Llama's LoRA r 16 shapes (N 3,072, K 576 or 1536) 69–82 GFLOP/s against sgemm's 47–76.
//
// The other three rank-r products of `Tensor.loraLinear` (the update s·h·Bᵀ, and dA, dB) go to sgemm: through
// BLAS.sgemm's row/column split they ran at 35–58 GFLOP/s inside the training step, and the register-tiled
// kernels written for them reached 23–52 (the two reductions over N, dA and dB, 23–35: their long operand is
// read down columns at a stride of a multiple of 2 KiB, which maps a strip to a few L1 sets).
public enum LowRankKernels {
    typealias Vector = SIMDMath.Vector

    /// C[N, r] = α · X[N, K] · W[K, r] (W row-major [K, r]).
    public static func project(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                        n: Int, k: Int, r: Int, alpha: Float) {
        guard r % 8 == 0 else { return projectScalar(x, w, c, n: n, k: k, r: r, alpha: alpha) }
        Parallel.forRanges((n + 3) / 4, costPerItem: 8 * k * r) { quads in
            for q in quads {
                let i0 = 4 * q, valid = min(4, n - i0)
                // Rows past the end repeat the last row (computed, not stored): no branch in the inner loop.
                let x0 = x + i0 * k, x1 = x + min(i0 + 1, n - 1) * k, x2 = x + min(i0 + 2, n - 1) * k
                let x3 = x + min(i0 + 3, n - 1) * k
                var t0 = 0
                while t0 + 16 <= r {  // 4 rows × 16 outputs: 6 loads feed 8 FMAs
                    var a00 = Vector(), a01 = Vector(), a10 = Vector(), a11 = Vector()
                    var a20 = Vector(), a21 = Vector(), a30 = Vector(), a31 = Vector()
                    for j in 0 ..< k {
                        let w0 = SIMDMath.load(w + j * r + t0), w1 = SIMDMath.load(w + j * r + t0 + 8)
                        let b0 = Vector(repeating: x0[j]), b1 = Vector(repeating: x1[j])
                        let b2 = Vector(repeating: x2[j]), b3 = Vector(repeating: x3[j])
                        a00 += w0 * b0; a01 += w1 * b0; a10 += w0 * b1; a11 += w1 * b1
                        a20 += w0 * b2; a21 += w1 * b2; a30 += w0 * b3; a31 += w1 * b3
                    }
                    let out = c + i0 * r + t0
                    SIMDMath.store(a00 * alpha, out); SIMDMath.store(a01 * alpha, out + 8)
                    if valid > 1 { SIMDMath.store(a10 * alpha, out + r); SIMDMath.store(a11 * alpha, out + r + 8) }
                    if valid > 2 { SIMDMath.store(a20 * alpha, out + 2 * r); SIMDMath.store(a21 * alpha, out + 2 * r + 8) }
                    if valid > 3 { SIMDMath.store(a30 * alpha, out + 3 * r); SIMDMath.store(a31 * alpha, out + 3 * r + 8) }
                    t0 += 16
                }
                if t0 < r {  // the last eight outputs when r is an odd multiple of 8
                    var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
                    for j in 0 ..< k {
                        let wv = SIMDMath.load(w + j * r + t0)
                        a0 += wv * x0[j]; a1 += wv * x1[j]; a2 += wv * x2[j]; a3 += wv * x3[j]
                    }
                    let out = c + i0 * r + t0
                    SIMDMath.store(a0 * alpha, out)
                    if valid > 1 { SIMDMath.store(a1 * alpha, out + r) }
                    if valid > 2 { SIMDMath.store(a2 * alpha, out + 2 * r) }
                    if valid > 3 { SIMDMath.store(a3 * alpha, out + 3 * r) }
                }
            }
        }
    }

    /// `project` with plain loops (r not a multiple of 8).
    private static func projectScalar(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                                      n: Int, k: Int, r: Int, alpha: Float) {
        Parallel.forRanges(n, costPerItem: 2 * k * r) { rows in
            for i in rows {
                let xr = x + i * k, cr = c + i * r
                cr.update(repeating: 0, count: r)
                for j in 0 ..< k {
                    let xv = xr[j], wr = w + j * r
                    for t in 0 ..< r { cr[t] += xv * wr[t] }
                }
                for t in 0 ..< r { cr[t] *= alpha }
            }
        }
    }

    /// The [cols, rows] transpose of a row-major [rows, cols] matrix (A or B, r × width: small).
    static func transposed(_ a: UnsafePointer<Float>, rows: Int, cols: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * cols)
        for i in 0 ..< rows { for j in 0 ..< cols { out[j * rows + i] = a[i * cols + j] } }
        return out
    }
}
