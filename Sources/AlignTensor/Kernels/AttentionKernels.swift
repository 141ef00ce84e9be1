// AttentionKernels: causal scaled-dot-product attention with grouped-query heads, forward and
// backward side by side (llm.c's attention_forward/attention_backward, with the two products of
// each (batch, head) pair done by sgemm and transposes passed to BLAS as flags).
//
// For one (b, h) with kv head k = h / (H / Hkv) (transformers' repeat_kv order), T queries, S keys:
//   Z = scale · Q Kᵀ (+ mask)            [T, S]
//   P = softmax_rows(Z)                   [T, S]  saved for the backward
//   O = P V                               [T, D]
// Backward (softmax Jacobian applied row by row, P ⊙ (dP − rowsum(P ⊙ dP))):
//   dP = dO Vᵀ,  dZ = P ⊙ (dP − Σ_j P dP),  dQ = scale · dZ K,
//   dK = scale · Σ_{h in group} dZ_hᵀ Q_h,  dV = Σ_{h in group} P_hᵀ dO_h
// Queries sit at the end of the keys (KV-cache decoding): query i has absolute position
// offset + i with offset = S − T, and with `causal` attends keys j ≤ offset + i.
// With a sliding window W (Mistral; transformers' sliding_window_overlay: kv_idx > q_idx − W), query i
// also ignores keys j ≤ offset + i − W, masked like padding.
// Masked scores are −inf before the max subtraction, so they get exactly zero probability. A row
// with no key left (a left-padding query row) gets all-zero probabilities, hence a zero output
// and zero gradients, instead of the NaN that 0/0 would give (torch's eager path with −inf).
// Work is split over (b, h) pairs (and (b, kv head) pairs for dK/dV, which sum over a group) with
// BLAS held to one thread inside; causal products run in blocks of query rows that stop at the
// last visible key, skipping the masked upper triangle.
import Foundation

/// Element strides of one [B, H, T, D] or [B, T, H, D] operand: rows of D floats are contiguous.
struct HeadStrides {
    let batch: Int, head: Int, row: Int

    init(heads: Int, seq: Int, dim: Int, layout: HeadLayout) {
        batch = heads * seq * dim
        (head, row) = layout == .bhtd ? (seq * dim, dim) : (dim, heads * dim)
    }

    @inline(__always) func offset(_ b: Int, _ h: Int) -> Int { b * batch + h * head }
}

/// A mask as the kernels read it: a pointer and strides into its [B|1, H|1, T, S] (or [B, S]) data.
struct MaskView {
    enum Kind { case none, keyPadding, boolean, additive }
    let kind: Kind
    let data: UnsafePointer<Float>?
    let batchStride: Int, headStride: Int, rowStride: Int

    static let none = MaskView(kind: .none, data: nil, batchStride: 0, headStride: 0, rowStride: 0)

    /// Applies the mask to row i of pair (b, h): masked scores become −inf, additive values add.
    @inline(__always)
    func apply(_ z: UnsafeMutablePointer<Float>, b: Int, h: Int, i: Int, limit: Int) {
        guard let data else { return }
        let m = data + b * batchStride + h * headStride + i * rowStride
        // Eight lanes at a time (the scalar loop with its branch was a visible share of attention), then a tail.
        var j = 0
        switch kind {
        case .none: return
        case .keyPadding, .boolean:
            let masked = SIMDMath.Vector(repeating: -.infinity)
            while j + 8 <= limit {
                let zv = SIMDMath.load(z + j)
                SIMDMath.store(zv.replacing(with: masked, where: SIMDMath.load(m + j) .== 0), z + j)
                j += 8
            }
            while j < limit { if m[j] == 0 { z[j] = -.infinity }; j += 1 }
        case .additive:
            while j + 8 <= limit { SIMDMath.store(SIMDMath.load(z + j) + SIMDMath.load(m + j), z + j); j += 8 }
            while j < limit { z[j] += m[j]; j += 1 }
        }
    }
}

/// Sizes of one attention call.
struct AttentionDims {
    let batch: Int, heads: Int, kvHeads: Int, queryLength: Int, keyLength: Int, headDim: Int
    let causal: Bool, scale: Float
    /// Sliding window W (Mistral): query i also ignores keys j ≤ offset + i − W; nil = none.
    var window: Int? = nil
    var group: Int { heads / kvHeads }
    var offset: Int { keyLength - queryLength }
    /// Query rows per block of the kernels' row loop: `AttentionKernels.blockRows` when causal, else all of them.
    var blockSize: Int { causal ? AttentionKernels.blockRows : Swift.max(queryLength, 1) }
    /// Keys row i may see: 0..<limit(i).
    @inline(__always) func limit(_ i: Int) -> Int { causal ? min(keyLength, offset + i + 1) : keyLength }
    /// Keys before this one are outside row i's sliding window (0 without a window).
    @inline(__always) func windowStart(_ i: Int) -> Int { window.map { max(0, offset + i - $0 + 1) } ?? 0 }

    /// Masks row i's keys outside the sliding window with −inf (zero probability, so zero gradient too).
    @inline(__always) func applyWindow(_ z: UnsafeMutablePointer<Float>, row i: Int) {
        for j in 0 ..< min(windowStart(i), keyLength) { z[j] = -.infinity }
    }
}

enum AttentionKernels {
    /// Softmax over z[0..<limit] in place, zeros beyond; an all −inf row becomes all zeros.
    @inline(__always)
    static func softmaxRow(_ z: UnsafeMutablePointer<Float>, count n: Int, limit: Int) {
        var mv = SIMDMath.Vector(repeating: -.infinity)
        var i = 0
        while i + 8 <= limit { mv = SIMDMath.max(SIMDMath.load(z + i), mv); i += 8 }
        if i < limit { mv = SIMDMath.max(SIMDMath.loadPartial(z + i, limit - i, fill: -.infinity), mv) }
        let m = mv.max()
        if m == -.infinity {  // fully masked: zero probabilities rather than 0/0 = NaN
            for j in 0 ..< n { z[j] = 0 }
            return
        }
        // Minus the row max, every exponent is ≤ 0: exp never overflows and masked −inf gives 0.
        var acc = SIMDMath.Vector(repeating: 0)
        var j = 0
        while j + 8 <= limit {
            let e = SIMDMath.expNonPositive(SIMDMath.load(z + j) - m)
            SIMDMath.store(e, z + j)
            acc += e
            j += 8
        }
        if j < limit {  // tail lanes padded with −inf contribute exp(−inf) = 0
            let e = SIMDMath.expNonPositive(SIMDMath.loadPartial(z + j, limit - j, fill: -.infinity) - m)
            SIMDMath.storePartial(e, z + j, limit - j)
            acc += e
        }
        let inv = 1 / acc.sum()
        for j in 0 ..< limit { z[j] *= inv }
        for j in limit ..< n { z[j] = 0 }
    }

    /// One row of dZ = P ⊙ (dP − Σ_j P dP) in place over keys 0..<n (dP in `dz`), zeros for keys n..<count.
    /// The dot product runs in eight lanes, so its summation order is fixed by n alone: the saved-probability
    /// and the recomputing backward call this same function and stay bit-for-bit equal.
    @inline(__always)
    static func scoreGradientRow(p pr: UnsafePointer<Float>, dz gr: UnsafeMutablePointer<Float>, keys n: Int, count: Int) {
        var acc = SIMDMath.Vector(repeating: 0)
        var j = 0
        while j + 8 <= n { acc = SIMDMath.fma(SIMDMath.load(pr + j), SIMDMath.load(gr + j), acc); j += 8 }
        var dot = acc.sum()
        while j < n { dot += pr[j] * gr[j]; j += 1 }
        let dv = SIMDMath.Vector(repeating: dot)
        j = 0
        while j + 8 <= n { SIMDMath.store(SIMDMath.load(pr + j) * (SIMDMath.load(gr + j) - dv), gr + j); j += 8 }
        while j < n { gr[j] = pr[j] * (gr[j] - dot); j += 1 }
        (gr + n).update(repeating: 0, count: count - n)
    }

    /// Runs `body(i0, i1, n)` over blocks of query rows [i0, i1), where n = keys the block's last
    /// row may see. With the causal mask the keys ≥ n are all masked for the whole block, so the
    /// products skip them: about half the flops (and exps) of the full T × S square.
    @inline(__always)
    static func forEachRowBlock(_ a: AttentionDims, _ body: (Int, Int, Int) -> Void) {
        let block = a.blockSize
        var i0 = 0
        while i0 < a.queryLength {
            let i1 = min(i0 + block, a.queryLength)
            body(i0, i1, a.limit(i1 - 1))
            i0 = i1
        }
    }

    /// Query rows per causal block: large enough for efficient sgemm calls, small enough to skip
    /// most of the masked triangle.
    static let blockRows = 64

    /// Runs `body` over `count` work items split across threads, with sgemm kept on the calling thread
    /// meanwhile: each item calls sgemm itself, and products split across threads nested inside our
    /// threads oversubscribe the cores (measured ~10× slower at T = 256 with OpenBLAS's own threads).
    static func parallelWithSerialBLAS(_ count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
        let parallel = Parallel.threads > 1 && count > 1 && count * costPerItem >= Parallel.grain
        guard parallel else { return Parallel.forRanges(count, costPerItem: costPerItem, body) }
        BLAS.withoutSplitting { Parallel.forRanges(count, costPerItem: costPerItem, body) }
    }

    /// out = softmax(scale·QKᵀ + mask) V for every (b, h). With `probs` ([B, H, T, S]) the
    /// probabilities are kept for the backward (per head, here); without, `forwardGrouped` computes it
    /// a kv group at a time in per-thread scratch, so memory stays group·block·S per thread.
    static func forward(out: UnsafeMutablePointer<Float>, probs: UnsafeMutablePointer<Float>?,
                        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                        dims a: AttentionDims, qs: HeadStrides, kvs: HeadStrides, mask: MaskView) {
        let (t, s, d) = (a.queryLength, a.keyLength, a.headDim)
        if t == 1 && probs == nil {
            return decodeForward(out: out, q: q, k: k, v: v, dims: a, qs: qs, kvs: kvs, mask: mask)
        }
        guard let probs else {  // a kv group's heads stacked into each product (AttentionGroupKernels.swift)
            return forwardGrouped(out: out, q: q, k: k, v: v, dims: a, qs: qs, kvs: kvs, mask: mask)
        }
        parallelWithSerialBLAS(a.batch * a.heads, costPerItem: 2 * t * s * d) { range in
            for pair in range {
                let b = pair / a.heads, h = pair % a.heads, kvh = h / a.group
                let p = probs + pair * t * s
                let qp = q + qs.offset(b, h), kp = k + kvs.offset(b, kvh)
                let vp = v + kvs.offset(b, kvh), op = out + qs.offset(b, h)
                forEachRowBlock(a) { i0, i1, n in
                    BLAS.sgemm(transA: false, transB: true, m: i1 - i0, n: n, k: d, alpha: a.scale,
                               a: qp + i0 * qs.row, lda: qs.row, b: kp, ldb: kvs.row, c: p + i0 * s, ldc: s)
                    for i in i0 ..< i1 {
                        let z = p + i * s
                        mask.apply(z, b: b, h: h, i: i, limit: a.limit(i))
                        a.applyWindow(z, row: i)
                        softmaxRow(z, count: s, limit: a.limit(i))
                    }
                    BLAS.sgemm(transA: false, transB: false, m: i1 - i0, n: d, k: n,
                               a: p + i0 * s, lda: s, b: vp, ldb: kvs.row, c: op + i0 * qs.row, ldc: qs.row)
                }
            }
        }
    }

    /// Per (b, h): dZ (into `dz`, [B, H, T, S], zero where masked) and, when `dq` is given,
    /// dQ = scale · dZ K.
    static func backwardQuery(dq: UnsafeMutablePointer<Float>?, dz: UnsafeMutablePointer<Float>,
                              dout: UnsafePointer<Float>, probs: UnsafePointer<Float>, k: UnsafePointer<Float>,
                              v: UnsafePointer<Float>, dims a: AttentionDims, qs: HeadStrides, kvs: HeadStrides) {
        let (t, s, d) = (a.queryLength, a.keyLength, a.headDim)
        parallelWithSerialBLAS(a.batch * a.heads, costPerItem: 2 * t * s * d) { range in
            for pair in range {
                let b = pair / a.heads, h = pair % a.heads, kvh = h / a.group
                let p = probs + pair * t * s, g = dz + pair * t * s
                let gop = dout + qs.offset(b, h), kp = k + kvs.offset(b, kvh)
                forEachRowBlock(a) { i0, i1, n in
                    // dP = dO Vᵀ over the visible keys, written where dZ will be
                    BLAS.sgemm(transA: false, transB: true, m: i1 - i0, n: n, k: d, a: gop + i0 * qs.row, lda: qs.row,
                               b: v + kvs.offset(b, kvh), ldb: kvs.row, c: g + i0 * s, ldc: s)
                    for i in i0 ..< i1 { scoreGradientRow(p: p + i * s, dz: g + i * s, keys: n, count: s) }
                    if let dq {
                        BLAS.sgemm(transA: false, transB: false, m: i1 - i0, n: d, k: n, alpha: a.scale, a: g + i0 * s,
                                   lda: s, b: kp, ldb: kvs.row, c: dq + qs.offset(b, h) + i0 * qs.row, ldc: qs.row)
                    }
                }
            }
        }
    }

    /// Per (b, kv head): dK = scale · Σ_h dZ_hᵀ Q_h and dV = Σ_h P_hᵀ dO_h over the heads of its
    /// group, accumulated into zero-filled `dk`/`dv`. Parallel over kv heads, so no two threads
    /// accumulate into the same rows.
    static func backwardKeyValue(dk: UnsafeMutablePointer<Float>?, dv: UnsafeMutablePointer<Float>?,
                                 dz: UnsafePointer<Float>, probs: UnsafePointer<Float>, dout: UnsafePointer<Float>,
                                 q: UnsafePointer<Float>, dims a: AttentionDims, qs: HeadStrides, kvs: HeadStrides) {
        let (t, s, d) = (a.queryLength, a.keyLength, a.headDim)
        parallelWithSerialBLAS(a.batch * a.kvHeads, costPerItem: 4 * a.group * t * s * d) { range in
            for pair in range {
                let b = pair / a.kvHeads, kvh = pair % a.kvHeads
                for r in 0 ..< a.group {
                    let h = kvh * a.group + r, zo = (b * a.heads + h) * t * s
                    forEachRowBlock(a) { i0, i1, n in  // block rows only touch keys 0..<n
                        if let dk {
                            BLAS.sgemm(transA: true, transB: false, m: n, n: d, k: i1 - i0, alpha: a.scale,
                                       a: dz + zo + i0 * s, lda: s, b: q + qs.offset(b, h) + i0 * qs.row, ldb: qs.row,
                                       beta: 1, c: dk + kvs.offset(b, kvh), ldc: kvs.row)
                        }
                        if let dv {
                            BLAS.sgemm(transA: true, transB: false, m: n, n: d, k: i1 - i0, a: probs + zo + i0 * s, lda: s,
                                       b: dout + qs.offset(b, h) + i0 * qs.row, ldb: qs.row, beta: 1,
                                       c: dv + kvs.offset(b, kvh), ldc: kvs.row)
                        }
                    }
                }
            }
        }
    }
}
