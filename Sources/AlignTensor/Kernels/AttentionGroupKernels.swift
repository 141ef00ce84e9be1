// AttentionGroupKernels: the query heads that share one kv head (a GQA group) stacked into one operand, so each
// product of a row block is ONE sgemm with group·m rows instead of `group` calls with m rows. A 135M Llama has
// 9 query heads over 3 kv heads: at m = 64 every QKᵀ, P·V, dP, dQ of a block is 192 rows tall, and dK, dV sum
// over 192 rows (K) instead of 64 — the 64-row products ran at 25–54 GFLOP/s on one core (ALIGNKIT_PROFILE),
// far below sgemm's rate on larger shapes.
//
// Stacking copies the block's rows of Q (and dO) head-major into a contiguous [group·m, D] buffer: row r·m + i'
// holds head k·group + r's query row i0 + i'. Outputs (O, dQ) come back the same way. The copies move group·m·D
// floats per block, against 2·group·m·n·D flops per product. Softmax, masks and the score gradient run row by
// row exactly as in AttentionKernels; only the grouping of rows into sgemm calls (and with it the order of dK's
// and dV's sums over a group's rows) differs.
//
// Used for every forward that keeps no probabilities (training and prefill) and for the recomputing backward
// (AttentionRecomputeKernels), which stack the same way, so the backward's P is the forward's bit for bit.

/// Scratch for one thread's stacked row blocks: [group·block, D] row panels and [group·block, S] score panels.
struct GroupScratch {
    let q, o, dout: UnsafeMutablePointer<Float>  // [group·block, D] each
    let p, dz: UnsafeMutablePointer<Float>        // [group·block, S] each

    init(dims a: AttentionDims, backward: Bool) {
        let rows = a.group * a.blockSize
        let (dim, keys) = (a.headDim, Swift.max(a.keyLength, 1))
        q = .allocate(capacity: rows * dim)
        o = .allocate(capacity: rows * dim)
        dout = .allocate(capacity: backward ? rows * dim : 1)
        p = .allocate(capacity: rows * keys)
        dz = .allocate(capacity: backward ? rows * keys : 1)
        if TensorStorage.poisonsUninitialized {  // as tensor buffers: a read before a write shows up as NaN
            for (x, count) in [(q, rows * dim), (o, rows * dim), (dout, backward ? rows * dim : 1), (p, rows * keys),
                               (dz, backward ? rows * keys : 1)] { x.update(repeating: .nan, count: count) }
        }
    }

    func deallocate() {
        for x in [q, o, dout, p, dz] { x.deallocate() }
    }
}

extension AttentionKernels {
    /// Copies rows `rows` of every head of kv group (b, kvh) between the heads' layout (`strides`) and the
    /// stacked, head-major [group·m, D] panel: from heads to panel when `stacking`, from panel to heads otherwise.
    @inline(__always)
    static func copyGroupRows(from src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, stacking: Bool,
                              b: Int, kvh: Int, rows: Range<Int>, dims a: AttentionDims, strides: HeadStrides) {
        let (m, d) = (rows.count, a.headDim)
        for r in 0 ..< a.group {
            let head = strides.offset(b, kvh * a.group + r)
            for i in rows {
                let (inHeads, inPanel) = (head + i * strides.row, (r * m + i - rows.lowerBound) * d)
                let (from, to) = stacking ? (inHeads, inPanel) : (inPanel, inHeads)
                (dst + to).update(from: src + from, count: d)
            }
        }
    }

    /// For every kv group (b, kvh), split across threads with per-thread scratch, and every causal row block of
    /// it: stacks the block's Q rows into `sc.q`, computes their probabilities into `sc.p` (scale·Q Kᵀ over the
    /// block's visible key runs within 0..<n, masked and softmaxed row by row; columns ≥ n are left unset, as
    /// no product reads them), then calls `body(sc, b, kvh, rows, n, runs)`. Columns outside the runs are masked
    /// for the whole block (AttentionKeyRuns): the mask writes them −inf, so their P is 0 and the body's products
    /// skip them. The forward and the recomputing backward both walk through here, so the backward's P is the
    /// forward's bit for bit.
    @inline(__always)
    static func forEachGroupBlock(q: UnsafePointer<Float>, k: UnsafePointer<Float>, dims a: AttentionDims,
                                  qs: HeadStrides, kvs: HeadStrides, mask: MaskView, backward: Bool, costPerItem: Int,
                                  _ body: (GroupScratch, Int, Int, Range<Int>, Int, ArraySlice<Range<Int>>) -> Void) {
        let s = a.keyLength
        let plan = AttentionKeyRuns(dims: a, mask: mask)
        parallelWithSerialBLAS(a.batch * a.kvHeads, costPerItem: costPerItem) { range in
            let sc = GroupScratch(dims: a, backward: backward)
            defer { sc.deallocate() }
            for pair in range {
                let b = pair / a.kvHeads, kvh = pair % a.kvHeads
                forEachRowBlock(a) { i0, i1, n in
                    let rows = i0 ..< i1, m = rows.count, runs = plan.runs(b: b, block: i0 / a.blockSize)
                    copyGroupRows(from: q, to: sc.q, stacking: true, b: b, kvh: kvh, rows: rows, dims: a, strides: qs)
                    for run in runs {
                        BLAS.sgemm(transA: false, transB: true, m: a.group * m, n: run.count, k: a.headDim, alpha: a.scale,
                                   a: sc.q, lda: a.headDim, b: k + kvs.offset(b, kvh) + run.lowerBound * kvs.row,
                                   ldb: kvs.row, c: sc.p + run.lowerBound, ldc: s)
                    }
                    for r in 0 ..< a.group {
                        for i in rows {
                            let z = sc.p + (r * m + i - i0) * s
                            mask.apply(z, b: b, h: kvh * a.group + r, i: i, limit: a.limit(i))
                            a.applyWindow(z, row: i)
                            softmaxRow(z, count: n, limit: a.limit(i))  // columns ≥ n are never read
                        }
                    }
                    body(sc, b, kvh, rows, n, runs)
                }
            }
        }
    }

    /// out = softmax(scale·QKᵀ + mask) V without keeping the probabilities, one kv group per work item.
    static func forwardGrouped(out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                               v: UnsafePointer<Float>, dims a: AttentionDims, qs: HeadStrides, kvs: HeadStrides,
                               mask: MaskView) {
        let (t, s, d) = (a.queryLength, a.keyLength, a.headDim)
        forEachGroupBlock(q: q, k: k, dims: a, qs: qs, kvs: kvs, mask: mask, backward: false,
                          costPerItem: 2 * a.group * t * s * d) { sc, b, kvh, rows, n, runs in
            for (r, run) in runs.enumerated() {  // O = Σ_runs P[:, run] V[run]
                BLAS.sgemm(transA: false, transB: false, m: a.group * rows.count, n: d, k: run.count,
                           a: sc.p + run.lowerBound, lda: s, b: v + kvs.offset(b, kvh) + run.lowerBound * kvs.row,
                           ldb: kvs.row, beta: r == 0 ? 0 : 1, c: sc.o, ldc: d)
            }
            copyGroupRows(from: sc.o, to: out, stacking: false, b: b, kvh: kvh, rows: rows, dims: a, strides: qs)
        }
    }
}
