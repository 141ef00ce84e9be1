// AttentionRecomputeKernels: the backward of causal attention WITHOUT saved probabilities. Training used to
// keep P [B, H, T, S] from the forward (37.7 MB per layer, 1.1 GB over the 30 layers of a 135M Llama at
// B·2 = 16 rows of 256 tokens); here each (b, kv head) recomputes its heads' P one [T, S] block at a time in
// per-thread scratch — the recomputation FlashAttention's backward does (Dao et al. 2022, Alg. 4), but from
// the full softmax rather than a saved log-sum-exp, so P is bit-for-bit the forward's: the same sgemm calls,
// masks and `softmaxRow` as `AttentionKernels.forward`.
//
// Per (b, kv head k), for each head h of its group, in blocks of query rows (AttentionKernels' formulas):
//   P = softmax_rows(scale · Q_h Kᵀ + mask),  dP = dO_h Vᵀ,  dZ = P ⊙ (dP − Σ_j P dP)
//   dQ_h = scale · dZ K,  dK += scale · dZᵀ Q_h,  dV += Pᵀ dO_h
// The accumulation order into dK/dV (heads of the group in order, row blocks in order) is that of
// `AttentionKernels.backwardKeyValue`, so the gradients equal the saved-probability backward exactly.
// Extra work: one more Q Kᵀ product and softmax per head, small beside the projections.

extension AttentionKernels {
    /// dQ, dK, dV (each optional, zero-filled by the caller) from dO, recomputing P. Parallel over (b, kv head)
    /// pairs, so no two threads write the same dK/dV rows, and each dQ head is written by one thread.
    static func backwardRecomputing(dq: UnsafeMutablePointer<Float>?, dk: UnsafeMutablePointer<Float>?,
                                    dv: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>,
                                    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                    dims a: AttentionDims, qs: HeadStrides, kvs: HeadStrides, mask: MaskView) {
        let (t, s, d) = (a.queryLength, a.keyLength, a.headDim)
        parallelWithSerialBLAS(a.batch * a.kvHeads, costPerItem: 8 * a.group * t * s * d) { range in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, t * s))   // [T, S] probabilities
            let dz = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, t * s))  // [T, S] score gradient
            defer { p.deallocate(); dz.deallocate() }
            for pair in range {
                let b = pair / a.kvHeads, kvh = pair % a.kvHeads
                let kp = k + kvs.offset(b, kvh), vp = v + kvs.offset(b, kvh)
                for r in 0 ..< a.group {
                    let h = kvh * a.group + r
                    let qp = q + qs.offset(b, h), gop = dout + qs.offset(b, h)
                    forEachRowBlock(a) { i0, i1, n in
                        // P for rows i0..<i1, exactly as the forward computed it.
                        BLAS.sgemm(transA: false, transB: true, m: i1 - i0, n: n, k: d, alpha: a.scale,
                                   a: qp + i0 * qs.row, lda: qs.row, b: kp, ldb: kvs.row, c: p + i0 * s, ldc: s)
                        for i in i0 ..< i1 {
                            let z = p + i * s
                            mask.apply(z, b: b, h: h, i: i, limit: a.limit(i))
                            a.applyWindow(z, row: i)
                            softmaxRow(z, count: s, limit: a.limit(i))
                        }
                        scoreGradient(dz: dz, p: p, dout: gop, v: vp, rows: i0 ..< i1, keys: n, dims: a, qs: qs, kvs: kvs)
                        let g = dz + i0 * s, pb = p + i0 * s, m = i1 - i0
                        if let dq {
                            BLAS.sgemm(transA: false, transB: false, m: m, n: d, k: n, alpha: a.scale, a: g, lda: s,
                                       b: kp, ldb: kvs.row, c: dq + qs.offset(b, h) + i0 * qs.row, ldc: qs.row)
                        }
                        if let dk {
                            BLAS.sgemm(transA: true, transB: false, m: n, n: d, k: m, alpha: a.scale, a: g, lda: s,
                                       b: qp + i0 * qs.row, ldb: qs.row, beta: 1, c: dk + kvs.offset(b, kvh), ldc: kvs.row)
                        }
                        if let dv {
                            BLAS.sgemm(transA: true, transB: false, m: n, n: d, k: m, a: pb, lda: s,
                                       b: gop + i0 * qs.row, ldb: qs.row, beta: 1, c: dv + kvs.offset(b, kvh), ldc: kvs.row)
                        }
                    }
                }
            }
        }
    }

    /// dZ rows i0..<i1 over keys 0..<n: dP = dO Vᵀ, then dZ = P ⊙ (dP − Σ_j P dP) (zero beyond n), as in
    /// `backwardQuery`.
    @inline(__always)
    static func scoreGradient(dz: UnsafeMutablePointer<Float>, p: UnsafePointer<Float>, dout: UnsafePointer<Float>,
                              v: UnsafePointer<Float>, rows: Range<Int>, keys n: Int, dims a: AttentionDims,
                              qs: HeadStrides, kvs: HeadStrides) {
        let s = a.keyLength
        BLAS.sgemm(transA: false, transB: true, m: rows.count, n: n, k: a.headDim, a: dout + rows.lowerBound * qs.row,
                   lda: qs.row, b: v, ldb: kvs.row, c: dz + rows.lowerBound * s, ldc: s)
        for i in rows { scoreGradientRow(p: p + i * s, dz: dz + i * s, keys: n, count: s) }
    }
}
