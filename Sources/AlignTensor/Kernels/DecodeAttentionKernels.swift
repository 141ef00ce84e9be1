// DecodeAttentionKernels: the inference forward of attention with one query per row — a decoding step on
// the KV cache — without BLAS. Per (b, kv head), the `group` query heads that share the kv head (their rows
// are `qs.head` apart when T = 1 in either layout) read each key and value row once:
//   z[r, j] = scale · q_r · k_j        (r < group, j < S)
//   p[r, ·] = softmax(z[r, ·])         after the padding mask and the sliding window (AttentionKernels)
//   o_r     = Σ_j p[r, j] · v_j         accumulated over j in order
// The products are a few thousand flops per head, too small for sgemm calls to pay off (each call also
// needed BLAS held to one thread around the parallel loop); (b, kv head) pairs are claimed by the threads
// of the persistent WorkerPool. The query's causal limit is S, so only the mask and the window hide keys.
extension AttentionKernels {
    typealias Lanes = SIMD16<Float>

    /// out [.., group rows of D] = attention of one query per (b, h) over S cached keys (see the header).
    static func decodeForward(out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                              v: UnsafePointer<Float>, dims a: AttentionDims, qs: HeadStrides, kvs: HeadStrides,
                              mask: MaskView) {
        let pairs = a.batch * a.kvHeads
        let body: (Int) -> Void = { pair in
            let s = a.keyLength, group = a.group
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, group * s))  // [group, S]
            defer { scores.deallocate() }
            let b = pair / a.kvHeads, kvh = pair % a.kvHeads, h0 = kvh * group
            decodeScores(scores, q: q + qs.offset(b, h0), queryStride: qs.head, k: k + kvs.offset(b, kvh),
                         keyStride: kvs.row, dims: a)
            for r in 0 ..< group {
                mask.apply(scores + r * s, b: b, h: h0 + r, i: 0, limit: s)
                a.applyWindow(scores + r * s, row: 0)
                softmaxRow(scores + r * s, count: s, limit: s)
            }
            decodeValues(out + qs.offset(b, h0), outStride: qs.head, probs: scores, v: v + kvs.offset(b, kvh),
                         valueStride: kvs.row, dims: a)
        }
        #if os(Linux)
        let parallel = Parallel.threads > 1 && pairs > 1 && pairs * 4 * a.group * a.keyLength * a.headDim >= Parallel.grain
        if parallel {
            WorkerPool.shared.run(chunks: pairs, body)
            return
        }
        #endif
        for pair in 0 ..< pairs { body(pair) }
    }

    /// z[r·S + j] = scale · q_r · k_j for r < group, j < S (rows of q `queryStride` apart, of k `keyStride`).
    static func decodeScores(_ z: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, queryStride: Int,
                             k: UnsafePointer<Float>, keyStride: Int, dims a: AttentionDims) {
        let (s, d) = (a.keyLength, a.headDim)
        for j in 0 ..< s {
            let kj = k + j * keyStride
            for r in 0 ..< a.group {
                z[r * s + j] = a.scale * GemvKernels.dot(kj, q + r * queryStride, k: d)
            }
        }
    }

    /// o_r = Σ_j p[r·S + j] · v_j for r < group (rows of o `outStride` apart, of v `valueStride`), in j order.
    static func decodeValues(_ o: UnsafeMutablePointer<Float>, outStride: Int, probs p: UnsafePointer<Float>,
                             v: UnsafePointer<Float>, valueStride: Int, dims a: AttentionDims) {
        let (s, d) = (a.keyLength, a.headDim)
        let d16 = d & ~15
        for r in 0 ..< a.group {
            let orow = o + r * outStride, prow = p + r * s
            orow.update(repeating: 0, count: d)
            for j in 0 ..< s {
                let pj = prow[j]
                if pj == 0 { continue }  // masked or underflowed: adds exactly nothing
                let vj = v + j * valueStride
                var c = 0
                while c < d16 {
                    var acc = GemvKernels.load(orow + c)
                    GemvKernels.multiplyAdd(&acc, Lanes(repeating: pj), GemvKernels.load(vj + c))
                    UnsafeMutableRawPointer(orow + c).storeBytes(of: acc, as: Lanes.self)
                    c += 16
                }
                while c < d { orow[c] += pj * vj[c]; c += 1 }
            }
        }
    }
}
