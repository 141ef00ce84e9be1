// LowRankKernels: the products of a LoRA layer that have a rank-r side (r ≪ the layer's width) — the four
// shapes of `Tensor.loraLinear` besides the base weight's:
//   project:  C[N, r]  = α · X[N, K] · W[K, r]            (h = xₐ·Aᵀ, gh = g·B)
//   expand:   C[N, M]  = α · H[N, r] · V[r, M] + β · C     (y += s·h·Bᵀ, dx += s·gh·A)
//   outerRows:    C[r, M] = α · Σᵢ H[i, :]ᵀ ⊗ X[i, :]      (dA = s·ghᵀ·xₐ)
//   outerColumns: C[M, r] = α · Σᵢ X[i, :]ᵀ ⊗ H[i, :]      (dB = s·gᵀ·h)
// OpenBLAS ran them at 2–15 GFLOP/s in a 135M LoRA step (2 threads; each call packs panels for a 16-wide
// product and its threads meet after every small panel), 11–22 s of a 100–120 s step on a loaded machine. Here
// each is one pass over the long operand, rows split across threads, with eight-lane register accumulators
// (rows in fours, so each load of the small r × K operand, which stays in L1/L2, feeds four rows); r a multiple
// of 8 takes these paths, any other r plain loops. The sums over rows (the two outer products)
// run in a fixed number of row blocks, each with its own partial, added in block order: the result does not
// depend on the thread count. Values equal sgemm's up to summation order.

enum LowRankKernels {
    typealias Vector = SIMDMath.Vector

    /// Row blocks of the outer-product reductions (fixed, so results do not depend on the thread count).
    static let reductionBlocks = 16

    /// C[N, r] = α · X[N, K] · W[K, r] (W row-major [K, r]).
    static func project(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                        n: Int, k: Int, r: Int, alpha: Float) {
        guard r % 8 == 0 else { return projectScalar(x, w, c, n: n, k: k, r: r, alpha: alpha) }
        Parallel.forRanges((n + 3) / 4, costPerItem: 8 * k * r) { quads in
            for q in quads {
                let i0 = 4 * q
                // Rows past the end repeat the last row (computed, not stored): no branch in the inner loop.
                let x0 = x + i0 * k, x1 = x + min(i0 + 1, n - 1) * k, x2 = x + min(i0 + 2, n - 1) * k
                let x3 = x + min(i0 + 3, n - 1) * k
                for t0 in stride(from: 0, to: r, by: 8) {
                    var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
                    for j in 0 ..< k {
                        let wv = SIMDMath.load(w + j * r + t0)
                        a0 += wv * x0[j]; a1 += wv * x1[j]; a2 += wv * x2[j]; a3 += wv * x3[j]
                    }
                    let out = c + i0 * r + t0
                    SIMDMath.store(a0 * alpha, out)
                    if i0 + 1 < n { SIMDMath.store(a1 * alpha, out + r) }
                    if i0 + 2 < n { SIMDMath.store(a2 * alpha, out + 2 * r) }
                    if i0 + 3 < n { SIMDMath.store(a3 * alpha, out + 3 * r) }
                }
            }
        }
    }

    /// C[N, M] = α · H[N, r] · V[r, M] + β · C (β 0 or 1; with β 0, C is output only).
    static func expand(_ h: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                       n: Int, m: Int, r: Int, alpha: Float, beta: Float) {
        let body = m - m % 8
        Parallel.forRanges((n + 3) / 4, costPerItem: 8 * m * r) { quads in
            for q in quads {
                let i0 = 4 * q, valid = min(4, n - i0)
                // Rows past the end repeat the last row (computed, not stored).
                let h0 = h + i0 * r, h1 = h + min(i0 + 1, n - 1) * r, h2 = h + min(i0 + 2, n - 1) * r
                let h3 = h + min(i0 + 3, n - 1) * r
                func put(_ a: Vector, _ row: Int, _ j0: Int) {
                    let cp = c + (i0 + row) * m + j0
                    SIMDMath.store(beta == 0 ? a : SIMDMath.load(cp) + a, cp)
                }
                for j0 in stride(from: 0, to: body, by: 8) {
                    var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
                    for t in 0 ..< r {
                        let vv = SIMDMath.load(v + t * m + j0)
                        a0 += vv * (alpha * h0[t]); a1 += vv * (alpha * h1[t])
                        a2 += vv * (alpha * h2[t]); a3 += vv * (alpha * h3[t])
                    }
                    put(a0, 0, j0)
                    if valid > 1 { put(a1, 1, j0) }
                    if valid > 2 { put(a2, 2, j0) }
                    if valid > 3 { put(a3, 3, j0) }
                }
                for row in 0 ..< valid {  // the last m % 8 columns
                    let hr = h + (i0 + row) * r, cr = c + (i0 + row) * m
                    for j in body ..< m {
                        var s: Float = 0
                        for t in 0 ..< r { s += (alpha * hr[t]) * v[t * m + j] }
                        cr[j] = beta == 0 ? s : cr[j] + s
                    }
                }
            }
        }
    }

    /// C[r, M] = α · Σᵢ H[i, :]ᵀ ⊗ X[i, :] over N rows (H [N, r], X [N, M]).
    static func outerRows(_ h: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                          n: Int, m: Int, r: Int, alpha: Float) {
        let body = r % 8 == 0 ? m - m % 8 : 0
        reduceBlocks(n: n, size: r * m, c: c, alpha: alpha, cost: 2 * m * r) { rows, acc in
            for j0 in stride(from: 0, to: body, by: 8) {
                for t0 in stride(from: 0, to: r, by: 8) {  // eight rows of C at a time, over this block's rows
                    var a = (Vector(), Vector(), Vector(), Vector(), Vector(), Vector(), Vector(), Vector())
                    for i in rows {
                        let xv = SIMDMath.load(x + i * m + j0), hr = h + i * r + t0
                        a.0 += xv * hr[0]; a.1 += xv * hr[1]; a.2 += xv * hr[2]; a.3 += xv * hr[3]
                        a.4 += xv * hr[4]; a.5 += xv * hr[5]; a.6 += xv * hr[6]; a.7 += xv * hr[7]
                    }
                    let out = acc + t0 * m + j0
                    SIMDMath.store(a.0, out); SIMDMath.store(a.1, out + m); SIMDMath.store(a.2, out + 2 * m)
                    SIMDMath.store(a.3, out + 3 * m); SIMDMath.store(a.4, out + 4 * m); SIMDMath.store(a.5, out + 5 * m)
                    SIMDMath.store(a.6, out + 6 * m); SIMDMath.store(a.7, out + 7 * m)
                }
            }
            for i in rows where body < m {  // the columns the vector loop left (all of them when r % 8 ≠ 0)
                let hr = h + i * r, xr = x + i * m
                for t in 0 ..< r {
                    let s = hr[t], ar = acc + t * m
                    for j in body ..< m { ar[j] += s * xr[j] }
                }
            }
        }
    }

    /// C[M, r] = α · Σᵢ X[i, :]ᵀ ⊗ H[i, :] over N rows (X [N, M], H [N, r]).
    static func outerColumns(_ x: UnsafePointer<Float>, _ h: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                             n: Int, m: Int, r: Int, alpha: Float) {
        let body = r % 8 == 0 ? m - m % 4 : 0
        reduceBlocks(n: n, size: m * r, c: c, alpha: alpha, cost: 2 * m * r) { rows, acc in
            for j0 in stride(from: 0, to: body, by: 4) {  // four rows of C at a time
                for t0 in stride(from: 0, to: r, by: 8) {
                    var a0 = Vector(), a1 = Vector(), a2 = Vector(), a3 = Vector()
                    for i in rows {
                        let hv = SIMDMath.load(h + i * r + t0), xr = x + i * m + j0
                        a0 += hv * xr[0]; a1 += hv * xr[1]; a2 += hv * xr[2]; a3 += hv * xr[3]
                    }
                    let out = acc + j0 * r + t0
                    SIMDMath.store(a0, out); SIMDMath.store(a1, out + r); SIMDMath.store(a2, out + 2 * r)
                    SIMDMath.store(a3, out + 3 * r)
                }
            }
            for i in rows where body < m {  // the rows of C the vector loop left
                let hr = h + i * r, xr = x + i * m
                for j in body ..< m {
                    let s = xr[j], ar = acc + j * r
                    for t in 0 ..< r { ar[t] += s * hr[t] }
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

    /// Runs `body(rows, partial)` over `reductionBlocks` blocks of 0..<n (in parallel), each into its own zeroed
    /// partial of `size` floats, then writes c = α · Σ partials, added in block order.
    private static func reduceBlocks(n: Int, size: Int, c: UnsafeMutablePointer<Float>, alpha: Float, cost: Int,
                                     _ body: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let blocks = max(1, min(reductionBlocks, n))
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: blocks * size)
        defer { partials.deallocate() }
        partials.initialize(repeating: 0, count: blocks * size)
        Parallel.forRanges(blocks, costPerItem: cost * max(1, n / blocks)) { range in
            for blk in range { body(n * blk / blocks ..< n * (blk + 1) / blocks, partials + blk * size) }
        }
        Parallel.forRanges(size, costPerItem: blocks) { range in
            for e in range {
                var s: Float = 0
                for blk in 0 ..< blocks { s += partials[blk * size + e] }
                c[e] = alpha * s
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
