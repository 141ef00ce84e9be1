// DecoderBlock: pre-norm residual block — h + attn(norm₁(h)), then h + mlp(norm₂(h)) — the same
// for every family here (Llama's input_layernorm/post_attention_layernorm, GPT-2's ln_1/ln_2).
import AlignTensor

/// One transformer block.
public final class DecoderBlock: Module {
    public let attentionNorm: Norm
    public let attention: Attention
    public let mlpNorm: Norm
    public let mlp: MLP
    let names: CheckpointNames

    public init(spec: DecoderSpec) {
        attentionNorm = Norm(dimension: spec.hiddenSize, kind: spec.norm)
        attention = Attention(spec: spec)
        mlpNorm = Norm(dimension: spec.hiddenSize, kind: spec.norm)
        mlp = MLP(spec: spec)
        names = spec.names
    }

    /// h [B, T, C] → [B, T, C].
    public func callAsFunction(_ h: Tensor, _ ctx: AttentionContext, cache: KVCache.Layer?) -> Tensor {
        let a = attention(attentionNorm(h), ctx, cache: cache, adding: h)  // h + attn(norm₁(h))
        return mlp(mlpNorm(a), adding: a)                                   // a + mlp(norm₂(a))
    }

    /// Checkpoint names relative to the block (GPT-2's fused c_attn is handled by the loader).
    public func namedParameters() -> [(String, Tensor)] {
        switch names {
        case .llama:
            return prefixed("input_layernorm", attentionNorm.namedParameters())
                + prefixed("self_attn", attention.namedParameters())
                + prefixed("post_attention_layernorm", mlpNorm.namedParameters())
                + prefixed("mlp", mlp.namedParameters())
        case .gpt2:
            return prefixed("ln_1", attentionNorm.namedParameters())
                + prefixed("attn", attention.namedParameters())
                + prefixed("ln_2", mlpNorm.namedParameters())
                + prefixed("mlp", mlp.namedParameters())
        }
    }
}
