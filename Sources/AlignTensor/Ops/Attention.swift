// Attention: the tensor-level causal scaled-dot-product attention op with grouped-query heads,
// padding masks and KV-length ≥ query-length (decoding with a KV cache), recorded on the tape
// with the fused backward of Kernels/AttentionKernels.swift.
// Mirrors torch.nn.functional.scaled_dot_product_attention as transformers' sdpa/eager attention
// calls it (repeat_kv for GQA, the 4-D mask built from a [B, S] attention_mask, scale 1/√D),
// except that a query row with no visible key returns zeros (see AttentionKernels.swift).
// Also: a sliding window (Mistral) and a key length shorter than the stored keys (a KV cache's buffers).
// Left out: dropout on the probabilities, soft-capping, sinks.

/// How the head axis is laid out in attention and rotary operands.
public enum HeadLayout: Sendable {
    /// [B, H, T, D]: transformers' layout after `view(B, T, H, D).transpose(1, 2)`.
    case bhtd
    /// [B, T, H, D]: a projection's output reshaped without copying; the output keeps this layout,
    /// so it reshapes to [B, T, H·D] for `o_proj` with no copy either.
    case bthd
}

/// A mask combined with (not replacing) the causal mask.
public enum AttentionMask {
    /// [B, S] transformers `attention_mask`: nonzero = real token, 0 = padding (left or right).
    case keyPadding(Tensor)
    /// [B or 1, H or 1, T, S]: nonzero = may attend (torch's boolean `attn_mask` as 0/1 floats).
    case boolean(Tensor)
    /// [B or 1, H or 1, T, S]: added to the scaled scores; −inf masks (transformers' 4-D float mask).
    /// Finite large-negative entries (transformers' finfo.min) also get zero weight, except in a row
    /// whose visible keys are all masked that way: it averages them instead of returning zeros
    /// (use −inf, `.boolean` or `.keyPadding` for zero rows). Treated as a constant: no gradient.
    case additive(Tensor)

    var tensor: Tensor {
        switch self { case let .keyPadding(t), let .boolean(t), let .additive(t): return t }
    }
}

/// The sizes `Tensor.checkAttention` read from the operand shapes.
public struct AttentionGeometry: Equatable, Sendable {
    /// B, H, Hkv, T (queries), S (keys) and D.
    public let batch: Int, heads: Int, kvHeads: Int, queryLength: Int, keyLength: Int, headDim: Int
}

extension Tensor {
    /// Validates attention operands: query [B, H, T, D], key and value [B, Hkv, S, D] (or the
    /// `.bthd` orders) with Hkv dividing H, S ≥ T when causal, and the mask's shape for its kind.
    /// - Throws: `TensorError.shapeMismatch` naming every shape involved.
    /// With `keyLength`, only the first `keyLength` of the key/value positions are attended (a
    /// preallocated KV cache whose buffers are longer than its valid part); S is then `keyLength`.
    public static func checkAttention(query: [Int], key: [Int], value: [Int], mask: AttentionMask?,
                                      causal: Bool, layout: HeadLayout, keyLength: Int? = nil) throws -> AttentionGeometry {
        let order = layout == .bhtd ? "[B, H, T, D] and key/value [B, Hkv, S, D]" : "[B, T, H, D] and key/value [B, S, Hkv, D]"
        let fail = TensorError.shapeMismatch(
            op: "scaledDotProductAttention", shapes: [query, key, value],
            expected: "query \(order) with Hkv dividing H\(causal ? " and S ≥ T (causal)" : "")"
                + (keyLength.map { " and key length \($0) ≤ the keys' time axis" } ?? ""))
        guard query.count == 4, key.count == 4, key == value else { throw fail }
        let (b, h, t, d) = layout == .bhtd ? (query[0], query[1], query[2], query[3]) : (query[0], query[2], query[1], query[3])
        let (kb, hkv, stored, kd) = layout == .bhtd ? (key[0], key[1], key[2], key[3]) : (key[0], key[2], key[1], key[3])
        let s = keyLength ?? stored
        guard kb == b, kd == d, hkv > 0, h % hkv == 0, s >= 0, s <= stored, !causal || s >= t else { throw fail }
        if let mask { try checkAttentionMask(mask, batch: b, heads: h, queryLength: t, keyLength: s) }
        return AttentionGeometry(batch: b, heads: h, kvHeads: hkv, queryLength: t, keyLength: s, headDim: d)
    }

    static func checkAttentionMask(_ mask: AttentionMask, batch b: Int, heads h: Int, queryLength t: Int, keyLength s: Int) throws {
        let m = mask.tensor.shape
        switch mask {
        case .keyPadding:
            guard m == [b, s] else {
                throw TensorError.shapeMismatch(op: "scaledDotProductAttention", shapes: [m],
                                                expected: "a key-padding mask [B, S] = [\(b), \(s)]")
            }
        case .boolean, .additive:
            guard m.count == 4, m[0] == b || m[0] == 1, m[1] == h || m[1] == 1, m[2] == t, m[3] == s else {
                throw TensorError.shapeMismatch(op: "scaledDotProductAttention", shapes: [m],
                                                expected: "a 4-D mask [B or 1, H or 1, T, S] = [\(b) or 1, \(h) or 1, \(t), \(s)]")
            }
        }
    }

    /// Scaled-dot-product attention, `softmax(scale·QKᵀ + mask) V`, with grouped-query heads.
    ///
    ///     // q: [B, H, T, D], k, v: [B, Hkv, S, D] → [B, H, T, D]
    ///     let o = Tensor.scaledDotProductAttention(query: q, key: k, value: v,
    ///                                              mask: .keyPadding(attentionMask))  // [B, S]
    ///
    /// - Parameters:
    ///   - query: [B, H, T, D] (or [B, T, H, D] with `.bthd`).
    ///   - key, value: [B, Hkv, S, D] (or [B, S, Hkv, D]); query head h reads kv head h / (H / Hkv).
    ///   - mask: an optional padding or 4-D mask, combined with the causal mask.
    ///   - causal: query i (at absolute position S − T + i) attends keys j ≤ S − T + i. With S > T
    ///     the queries are the last T positions, as when decoding with a KV cache.
    ///   - scale: multiplies QKᵀ; nil means 1/√D.
    ///   - layout: the head layout of all four tensors.
    ///   - keyLength: attend only key/value positions 0..<keyLength (a preallocated KV cache read in
    ///     place); nil = all of them. The mask then covers these S = keyLength positions.
    ///   - slidingWindow: W > 0 hides keys j ≤ p − W from the query at key position p = S − T + i
    ///     (transformers' `sliding_window_overlay`, Mistral); nil = none.
    /// - Returns: [B, H, T, D] (or [B, T, H, D]). Rows whose keys are all masked are zero.
    ///   Differentiable with respect to query, key and value.
    public static func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, mask: AttentionMask? = nil,
                                                 causal: Bool = true, scale: Float? = nil,
                                                 layout: HeadLayout = .bhtd, keyLength: Int? = nil,
                                                 slidingWindow: Int? = nil) -> Tensor {
        precondition(slidingWindow.map { $0 > 0 } ?? true, "scaledDotProductAttention: sliding window must be > 0")
        let g = checked { try checkAttention(query: query.shape, key: key.shape, value: value.shape, mask: mask,
                                             causal: causal, layout: layout, keyLength: keyLength) }
        let dims = AttentionDims(batch: g.batch, heads: g.heads, kvHeads: g.kvHeads, queryLength: g.queryLength,
                                 keyLength: g.keyLength, headDim: g.headDim, causal: causal,
                                 scale: scale ?? 1 / Float(g.headDim).squareRoot(), window: slidingWindow)
        let qs = HeadStrides(heads: g.heads, seq: g.queryLength, dim: g.headDim, layout: layout)
        // Strides follow the stored time axis, which may be longer than S (a cache's capacity).
        let kvs = HeadStrides(heads: g.kvHeads, seq: key.shape[layout == .bhtd ? 2 : 1], dim: g.headDim, layout: layout)
        let out = Tensor(zeros: query.shape)
        // P [B, H, T, S] is never kept for T > 1: the backward recomputes it (AttentionRecomputeKernels), so
        // training holds no [B, H, T, S] buffer per layer. A one-query forward (the decode kernel) saves it, tiny.
        let recording = Autograd.isEnabled && (query.needsGrad || key.needsGrad || value.needsGrad)
        let probs: Tensor? = recording && g.queryLength == 1
            ? Tensor.uninitialized([g.batch, g.heads, g.queryLength, g.keyLength]) : nil
        query.withUnsafeBuffer { q in key.withUnsafeBuffer { k in value.withUnsafeBuffer { v in
            out.withUnsafeMutableBuffer { o in withOptionalMutablePointer(probs) { p in
                withMaskView(mask, geometry: g) { m in
                    AttentionKernels.forward(out: o.baseAddress!, probs: p, q: q.baseAddress!, k: k.baseAddress!,
                                             v: v.baseAddress!, dims: dims, qs: qs, kvs: kvs, mask: m)
                }
            } }
        } } }
        guard recording else { return out }
        guard let probs else {
            return record("scaledDotProductAttention", out, [query, key, value]) { dout in
                attentionBackwardRecomputing(dout: dout, query: query, key: key, value: value, mask: mask, geometry: g,
                                             dims: dims, qs: qs, kvs: kvs)
            }
        }
        return record("scaledDotProductAttention", out, [query, key, value]) { dout in
            attentionBackward(dout: dout, probs: probs, query: query, key: key, value: value, dims: dims, qs: qs, kvs: kvs)
        }
    }

    /// The gradients of query, key and value (nil for those that need none), recomputing the probabilities.
    private static func attentionBackwardRecomputing(dout: Tensor, query: Tensor, key: Tensor, value: Tensor,
                                                     mask: AttentionMask?, geometry: AttentionGeometry,
                                                     dims: AttentionDims, qs: HeadStrides, kvs: HeadStrides) -> [Tensor?] {
        // Zero-filled: dK/dV accumulate, and rows no query reaches are never written.
        let dq: Tensor? = query.needsGrad ? Tensor(zeros: query.shape) : nil
        let dk: Tensor? = key.needsGrad ? Tensor(zeros: key.shape) : nil
        let dv: Tensor? = value.needsGrad ? Tensor(zeros: value.shape) : nil
        dout.withUnsafeBuffer { g in query.withUnsafeBuffer { q in key.withUnsafeBuffer { k in value.withUnsafeBuffer { v in
            withOptionalMutablePointer(dq) { pdq in withOptionalMutablePointer(dk) { pdk in withOptionalMutablePointer(dv) { pdv in
                withMaskView(mask, geometry: geometry) { m in
                    AttentionKernels.backwardRecomputing(dq: pdq, dk: pdk, dv: pdv, dout: g.baseAddress!, q: q.baseAddress!,
                                                         k: k.baseAddress!, v: v.baseAddress!, dims: dims, qs: qs, kvs: kvs,
                                                         mask: m)
                }
            } } }
        } } } }
        return [dq, dk, dv]
    }

    /// The gradients of query, key and value (nil for those that need none).
    private static func attentionBackward(dout: Tensor, probs: Tensor, query: Tensor, key: Tensor, value: Tensor,
                                          dims: AttentionDims, qs: HeadStrides, kvs: HeadStrides) -> [Tensor?] {
        // Zero-filled: with S = 0 or T = 0 the products below may be empty and never write.
        let dq: Tensor? = query.needsGrad ? Tensor(zeros: query.shape) : nil
        let dk: Tensor? = key.needsGrad ? Tensor(zeros: key.shape) : nil
        let dv: Tensor? = value.needsGrad ? Tensor(zeros: value.shape) : nil
        let dz = Tensor.uninitialized(probs.shape)  // [B, H, T, S] gradient of the scaled scores
        dout.withUnsafeBuffer { g in probs.withUnsafeBuffer { p in dz.withUnsafeMutableBuffer { z in
            query.withUnsafeBuffer { q in key.withUnsafeBuffer { k in value.withUnsafeBuffer { v in
                withOptionalMutablePointer(dq) { pdq in
                    AttentionKernels.backwardQuery(dq: pdq, dz: z.baseAddress!, dout: g.baseAddress!, probs: p.baseAddress!,
                                                   k: k.baseAddress!, v: v.baseAddress!, dims: dims, qs: qs, kvs: kvs)
                }
                withOptionalMutablePointer(dk) { pdk in withOptionalMutablePointer(dv) { pdv in
                    AttentionKernels.backwardKeyValue(dk: pdk, dv: pdv, dz: z.baseAddress!, probs: p.baseAddress!,
                                                      dout: g.baseAddress!, q: q.baseAddress!, dims: dims, qs: qs, kvs: kvs)
                } }
            } } }
        } } }
        return [dq, dk, dv]
    }

    /// Runs `body` with the kernels' view of `mask` (strides 0 on broadcast dims).
    private static func withMaskView<R>(_ mask: AttentionMask?, geometry g: AttentionGeometry, _ body: (MaskView) -> R) -> R {
        guard let mask else { return body(.none) }
        let t = mask.tensor, s = g.keyLength
        return t.withUnsafeBuffer { p in
            switch mask {
            case .keyPadding:
                return body(MaskView(kind: .keyPadding, data: p.baseAddress, batchStride: s, headStride: 0, rowStride: 0))
            case .boolean, .additive:
                let sh = t.shape
                return body(MaskView(kind: { if case .boolean = mask { return .boolean } else { return .additive } }(),
                                     data: p.baseAddress, batchStride: sh[0] == 1 ? 0 : sh[1] * sh[2] * sh[3],
                                     headStride: sh[1] == 1 ? 0 : sh[2] * sh[3], rowStride: s))
            }
        }
    }
}
