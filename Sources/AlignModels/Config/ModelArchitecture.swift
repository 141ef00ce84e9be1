// ModelArchitecture: the normalized description of a decoder that the layers and the forward pass
// are built from — one vocabulary for all families, every default already applied, every flag that
// changes the math explicit. Resolved from a ModelConfig by ModelRegistry; nothing here reads JSON.
// Shape letters follow Docs/architecture.md: V vocab, C channels, L layers, H heads, Hkv KV heads,
// D head dim.

/// What a decoder computes, independent of how its config.json spells it.
public struct ModelArchitecture: Equatable, Sendable {
    /// The implementation family (`model_type` after aliasing).
    public enum Family: String, Sendable, CaseIterable {
        case llama, mistral, qwen2, qwen3, gpt2
    }

    /// Normalization layers and their epsilon.
    public enum Norm: Equatable, Sendable {
        /// RMSNorm with a weight, no bias: x / sqrt(mean(x²) + eps) · w.
        case rms(eps: Double)
        /// LayerNorm with weight and bias: (x − mean) / sqrt(var + eps) · w + b.
        case layer(eps: Double)
    }

    /// MLP nonlinearity (transformers' ACT2FN names in the comments).
    public enum Activation: String, Sendable {
        /// "silu" / "swish": x · σ(x).
        case silu
        /// "gelu_new", "gelu_pytorch_tanh", "gelu_fast": 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
        case geluTanh
        /// "gelu": the exact erf form.
        case gelu
        /// "relu".
        case relu
    }

    /// MLP layout.
    public enum MLP: Equatable, Sendable {
        /// down(act(gate(x)) · up(x)) — Llama, Mistral, Qwen.
        case gated
        /// proj(act(fc(x))) — GPT-2.
        case plain
    }

    /// How RoPE frequencies are rescaled (transformers modeling_rope_utils.py).
    public enum RopeScaling: Equatable, Sendable {
        /// inv_freq = theta^(−2i/D).
        case none
        /// Positions divided by `factor` (equivalently inv_freq / factor).
        case linear(factor: Double)
        /// Llama 3.1+: long wavelengths divided by `factor`, short ones kept, smooth blend between.
        case llama3(factor: Double, lowFreqFactor: Double, highFreqFactor: Double, originalMaxPositions: Int)
    }

    /// Rotary embedding parameters.
    public struct Rope: Equatable, Sendable {
        /// Base of the frequencies.
        public let theta: Double
        /// Frequency rescaling for long contexts.
        public let scaling: RopeScaling
        /// Dimensions rotated per head (= head dim; partial rotation is rejected).
        public let dimensions: Int
    }

    /// How positions enter the model.
    public enum Positional: Equatable, Sendable {
        /// Rotary embeddings on q and k, in the rotate-half (GPT-NeoX) layout transformers uses.
        case rope(Rope)
        /// A learned [maxPositions, C] table added to the token embeddings (GPT-2's wpe).
        case learned(maxPositions: Int)
    }

    /// Which implementation computes this model.
    public let family: Family
    /// `model_type` as written in config.json.
    public let modelType: String
    /// V
    public let vocabSize: Int
    /// C
    public let hiddenSize: Int
    /// MLP inner width.
    public let intermediateSize: Int
    /// L
    public let layerCount: Int
    /// H
    public let headCount: Int
    /// Hkv (divides H; equal to H without grouped-query attention).
    public let kvHeadCount: Int
    /// D (may differ from C / H, as in Qwen3 and Llama-3.2).
    public let headDim: Int
    /// Every normalization layer (pre-attention, pre-MLP, final).
    public let norm: Norm
    /// The MLP nonlinearity.
    public let activation: Activation
    /// Gated or plain MLP.
    public let mlp: MLP
    /// Bias on the q, k and v projections.
    public let qkvBias: Bool
    /// Bias on the attention output projection.
    public let outputBias: Bool
    /// Bias on the MLP projections.
    public let mlpBias: Bool
    /// RMSNorm over D on each head's q and k before RoPE (Qwen3), with the model's norm eps.
    public let qkNorm: Bool
    /// The LM head reuses the token embedding matrix (no separate lm_head.weight).
    public let tiedEmbeddings: Bool
    /// RoPE or learned absolute positions.
    public let positional: Positional
    /// The longest context the config declares.
    public let maxPositionEmbeddings: Int
    /// Mistral's sliding window: each query attends only the last this-many positions, itself
    /// included (nil = no window).
    public let slidingWindow: Int?
    /// GPT-2 layout facts: q, k, v fused in one `c_attn` and Linear weights stored [in, out] (Conv1D).
    public let fusedQKVConv1D: Bool
    /// From config.json `bos_token_id` (first id when a list).
    public let bosTokenId: Int?
    /// From config.json `eos_token_id` (all ids when a list).
    public let eosTokenIds: [Int]
    /// From config.json `pad_token_id`.
    public let padTokenId: Int?
}
