// AttentionRecomputeKernels: the backward of causal attention WITHOUT saved probabilities. Training used to
// keep P [B, H, T, S] from the forward (37.7 MB per layer, 1.1 GB over the 30 layers of a 135M Llama at
// B·2 = 16 rows of 256 tokens); here each (b, kv head) recomputes its heads' P one [T, S] block at a time in
// per-thread scratch — the recomputation FlashAttention's backward does (Dao et al. 2022, Alg. 4), but from
// the full softmax rather than a saved log-sum-exp, so P is bit-for-bit the forward's: the same sgemm calls,
// masks and `softmaxRow` as `AttentionKernels.forwardGrouped` (both run through `forEachGroupBlock`).
//
// Per (b, kv head k), in blocks of query rows with the group's heads stacked (AttentionKernels' formulas):
//   P = softmax_rows(scale · Q_g Kᵀ + mask),  dP = dO_g Vᵀ,  dZ = P ⊙ (dP − Σ_j P dP)
//   dQ_g = scale · dZ K,  dK += scale · dZᵀ Q_g,  dV += Pᵀ dO_g
// dK and dV sum a block's rows of all the group's heads in one product, so they equal the saved-probability
// backward (`AttentionKernels.backwardKeyValue`, head by head) up to summation order.
// Extra work: one more Q Kᵀ product and softmax per head, small beside the projections.

extension AttentionKernels {
    /// dQ, dK, dV (each optional, zero-filled by the caller) from dO, recomputing P. Parallel over (b, kv head)
    /// pairs, so no two threads write the same dK/dV rows, and each dQ head is written by one thread. The
    /// group's heads are stacked into each product (AttentionGroupKernels.swift), as in `forwardGrouped`.
    static func backwardRecomputing(dq: UnsafeMutablePointer<Float>?, dk: UnsafeMutablePointer<Float>?,
                                    dv: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>,
                                    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                    dims a: AttentionDims, qs: HeadStrides, kvs: HeadStrides, mask: MaskView) {
        let (t, s, d) = (a.queryLength, a.keyLength, a.headDim)
        forEachGroupBlock(q: q, k: k, dims: a, qs: qs, kvs: kvs, mask: mask, backward: true,
                          costPerItem: 8 * a.group * t * s * d) { sc, b, kvh, rows, n, runs in
            let gm = a.group * rows.count, kp = k + kvs.offset(b, kvh), vp = v + kvs.offset(b, kvh)
            // dP = dO Vᵀ over the visible runs (0 in the hidden columns, where P is 0), then
            // dZ = P ⊙ (dP − Σ_j P dP) row by row over the n keys.
            copyGroupRows(from: dout, to: sc.dout, stacking: true, b: b, kvh: kvh, rows: rows, dims: a, strides: qs)
            zeroHiddenColumns(sc.dz, rows: gm, stride: s, keys: n, runs: runs)
            for run in runs {
                BLAS.sgemm(transA: false, transB: true, m: gm, n: run.count, k: d, a: sc.dout, lda: d,
                           b: vp + run.lowerBound * kvs.row, ldb: kvs.row, c: sc.dz + run.lowerBound, ldc: s)
            }
            for row in 0 ..< gm { scoreGradientRow(p: sc.p + row * s, dz: sc.dz + row * s, keys: n, count: n) }
            if let dq {  // dQ = scale · dZ K, written back to each head's rows
                for (r, run) in runs.enumerated() {
                    BLAS.sgemm(transA: false, transB: false, m: gm, n: d, k: run.count, alpha: a.scale,
                               a: sc.dz + run.lowerBound, lda: s, b: kp + run.lowerBound * kvs.row, ldb: kvs.row,
                               beta: r == 0 ? 0 : 1, c: sc.o, ldc: d)
                }
                copyGroupRows(from: sc.o, to: dq, stacking: false, b: b, kvh: kvh, rows: rows, dims: a, strides: qs)
            }
            for run in runs {
                let lo = run.lowerBound
                if let dk {  // dK += scale · dZᵀ Q over the group's stacked rows
                    BLAS.sgemm(transA: true, transB: false, m: run.count, n: d, k: gm, alpha: a.scale, a: sc.dz + lo,
                               lda: s, b: sc.q, ldb: d, beta: 1, c: dk + kvs.offset(b, kvh) + lo * kvs.row, ldc: kvs.row)
                }
                if let dv {  // dV += Pᵀ dO
                    BLAS.sgemm(transA: true, transB: false, m: run.count, n: d, k: gm, a: sc.p + lo, lda: s, b: sc.dout,
                               ldb: d, beta: 1, c: dv + kvs.offset(b, kvh) + lo * kvs.row, ldc: kvs.row)
                }
            }
        }
    }

    /// Zeroes columns 0..<n outside `runs` in each of `rows` rows of width `stride` (dP's hidden columns, which
    /// no product writes, so the score gradient's Σ_j P dP reads 0 · 0 there, not an unset value).
    @inline(__always)
    static func zeroHiddenColumns(_ z: UnsafeMutablePointer<Float>, rows: Int, stride: Int, keys n: Int,
                                  runs: ArraySlice<Range<Int>>) {
        guard runs.count != 1 || runs.first != 0 ..< n else { return }
        for row in 0 ..< rows {
            var j = 0
            for run in runs {
                (z + row * stride + j).update(repeating: 0, count: run.lowerBound - j)
                j = run.upperBound
            }
            (z + row * stride + j).update(repeating: 0, count: n - j)
        }
    }
}
