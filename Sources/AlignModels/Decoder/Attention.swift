// Attention: a decoder block's self-attention — q/k/v projections, optional per-head q/k RMSNorm
// (Qwen3), rotary embeddings, grouped-query causal attention with padding masks and an optional
// sliding window (Mistral), o_proj.
// Tensors stay in [B, T, H, D] (".bthd") from projection to o_proj, so no transpose is copied;
// with a KV cache, attention reads the cache's preallocated buffers in place (no concatenation).
import AlignTensor

/// Per-forward inputs shared by every layer.
public struct AttentionContext {
    /// [B, T, D] rotary tables for the current positions, or nil for learned positions.
    public var cos: Tensor?, sin: Tensor?
    /// [B, S] 1 = real token, 0 = padding, over past + current keys; nil = all real.
    public var keyPadding: Tensor?
    /// A mask used instead of `keyPadding` (e.g. a [B, 1, T, S] boolean mask for packed rows), combined with the
    /// causal mask; nil = `keyPadding`'s.
    public var mask: AttentionMask?
}

/// Multi-head / grouped-query self-attention.
public final class Attention: Module {
    public let q, k, v, o: Linear
    /// [D] per-head RMSNorm weights on queries and keys (Qwen3), else nil.
    public let qNorm: Norm?, kNorm: Norm?
    public let heads: Int, kvHeads: Int, headDim: Int
    /// Mistral's sliding window (keys more than W − 1 positions back are hidden), else nil.
    public let slidingWindow: Int?

    public init(spec: DecoderSpec) {
        heads = spec.heads
        kvHeads = spec.kvHeads
        headDim = spec.headDim
        slidingWindow = spec.slidingWindow
        let layout: WeightLayout = spec.names == .gpt2 ? .inOut : .outIn
        let c = spec.hiddenSize
        q = Linear(inFeatures: c, outFeatures: heads * headDim, bias: spec.qkvBias, layout: layout)
        k = Linear(inFeatures: c, outFeatures: kvHeads * headDim, bias: spec.qkvBias, layout: layout)
        v = Linear(inFeatures: c, outFeatures: kvHeads * headDim, bias: spec.qkvBias, layout: layout)
        o = Linear(inFeatures: heads * headDim, outFeatures: c, bias: spec.outputBias, layout: layout)
        let eps: Float
        if case .rms(let e) = spec.norm { eps = e } else { eps = 1e-6 }
        qNorm = spec.qkNorm ? Norm(dimension: headDim, kind: .rms(eps: eps)) : nil
        kNorm = spec.qkNorm ? Norm(dimension: headDim, kind: .rms(eps: eps)) : nil
    }

    /// x [B, T, C] → [B, T, C]. With a cache layer, keys/values are appended and attention spans them all.
    public func callAsFunction(_ x: Tensor, _ ctx: AttentionContext, cache: KVCache.Layer? = nil) -> Tensor {
        o(attend(x, ctx, cache: cache))
    }

    /// residual + self(x, ctx, cache:), with the residual added inside o_proj's rows when decoding one position.
    public func callAsFunction(_ x: Tensor, _ ctx: AttentionContext, cache: KVCache.Layer?, adding residual: Tensor) -> Tensor {
        o(attend(x, ctx, cache: cache), adding: residual)
    }

    /// Attention's output before o_proj: x [B, T, C] → [B, T, H·D]. One position's q/k/v run as one fused job.
    func attend(_ x: Tensor, _ ctx: AttentionContext, cache: KVCache.Layer?) -> Tensor {
        let (b, t) = (x.shape[0], x.shape[1])
        let qkv = Linear.outputs(of: [q, k, v], for: x)
        var qh = qkv[0].reshaped([b, t, heads, headDim])    // [B, T, H, D]
        var kh = qkv[1].reshaped([b, t, kvHeads, headDim])  // [B, T, Hkv, D]
        let vh = qkv[2].reshaped([b, t, kvHeads, headDim])
        if let qNorm, let kNorm { qh = qNorm(qh); kh = kNorm(kh) }
        if let cos = ctx.cos, let sin = ctx.sin {
            qh = qh.applyingRotary(cos: cos, sin: sin, layout: .bthd)
            kh = kh.applyingRotary(cos: cos, sin: sin, layout: .bthd)
        }
        let mask = ctx.mask ?? ctx.keyPadding.map { AttentionMask.keyPadding($0) }
        let out: Tensor  // [B, T, H, D]
        cache?.append(keys: kh, values: vh)
        if let cache, let keys = cache.keyBuffer, let values = cache.valueBuffer {
            // The cache's [B, capacity, Hkv, D] buffers, read in place over their S valid positions.
            out = Tensor.scaledDotProductAttention(query: qh, key: keys, value: values, mask: mask, causal: true,
                                                   layout: .bthd, keyLength: cache.length, slidingWindow: slidingWindow)
        } else {
            out = Tensor.scaledDotProductAttention(query: qh, key: kh, value: vh, mask: mask, causal: true, layout: .bthd,
                                                   slidingWindow: slidingWindow)
        }
        return out.reshaped([b, t, heads * headDim])
    }

    public func namedParameters() -> [(String, Tensor)] {
        var p = prefixed("q_proj", q.namedParameters()) + prefixed("k_proj", k.namedParameters())
            + prefixed("v_proj", v.namedParameters()) + prefixed("o_proj", o.namedParameters())
        if let qNorm, let kNorm { p += prefixed("q_norm", qNorm.namedParameters()) + prefixed("k_norm", kNorm.namedParameters()) }
        return p
    }

    /// The projections by checkpoint name (for LoRA targeting).
    public var projections: [(String, Linear)] { [("q_proj", q), ("k_proj", k), ("v_proj", v), ("o_proj", o)] }
}
