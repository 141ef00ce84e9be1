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
                          costPerItem: 8 * a.group * t * s * d) { sc, b, kvh, rows, n in
            let gm = a.group * rows.count, kp = k + kvs.offset(b, kvh)
            // dP = dO Vᵀ, then dZ = P ⊙ (dP − Σ_j P dP) row by row (zero beyond n).
            copyGroupRows(from: dout, to: sc.dout, stacking: true, b: b, kvh: kvh, rows: rows, dims: a, strides: qs)
            BLAS.sgemm(transA: false, transB: true, m: gm, n: n, k: d, a: sc.dout, lda: d, b: v + kvs.offset(b, kvh),
                       ldb: kvs.row, c: sc.dz, ldc: s)
            for row in 0 ..< gm { scoreGradientRow(p: sc.p + row * s, dz: sc.dz + row * s, keys: n, count: s) }
            if let dq {  // dQ = scale · dZ K, written back to each head's rows
                BLAS.sgemm(transA: false, transB: false, m: gm, n: d, k: n, alpha: a.scale, a: sc.dz, lda: s,
                           b: kp, ldb: kvs.row, c: sc.o, ldc: d)
                copyGroupRows(from: sc.o, to: dq, stacking: false, b: b, kvh: kvh, rows: rows, dims: a, strides: qs)
            }
            if let dk {  // dK += scale · dZᵀ Q over the group's stacked rows
                BLAS.sgemm(transA: true, transB: false, m: n, n: d, k: gm, alpha: a.scale, a: sc.dz, lda: s,
                           b: sc.q, ldb: d, beta: 1, c: dk + kvs.offset(b, kvh), ldc: kvs.row)
            }
            if let dv {  // dV += Pᵀ dO
                BLAS.sgemm(transA: true, transB: false, m: n, n: d, k: gm, a: sc.p, lda: s, b: sc.dout, ldb: d,
                           beta: 1, c: dv + kvs.offset(b, kvh), ldc: kvs.row)
            }
        }
    }
}
