// DecoderSpec: everything about a decoder-only transformer that changes its math, in one flat
// description shared by the whole family (Llama 2/3, Mistral, Qwen2, Qwen3, SmolLM, GPT-2).
// Architectures differ only in these flags and in their checkpoint names (`CheckpointNames`).

/// The MLP variant.
public enum MLPKind: Sendable, Equatable {
    /// down(act(gate(x)) · up(x)) — Llama, Mistral, Qwen (act = SiLU).
    case gated
    /// c_proj(act(c_fc(x))) — GPT-2 (act = GELU tanh).
    case plain
}

/// The MLP activation (config.json's `hidden_act` / `activation_function`).
public enum Activation: String, Sendable, Equatable {
    case silu, geluTanh = "gelu_new", gelu, relu
}

/// How positions enter the model.
public enum PositionKind: Sendable, Equatable {
    /// Rotary embeddings with these inverse frequencies (already rescaled by rope_scaling), half-rotation layout.
    case rotary(inverseFrequencies: [Float], attentionScaling: Float)
    /// Learned absolute position embeddings of this many positions (GPT-2's wpe).
    case learned(maxPositions: Int)
}

/// A decoder's shape and math flags.
public struct DecoderSpec: Sendable, Equatable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var layers: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var intermediateSize: Int
    public var norm: NormKind
    public var mlp: MLPKind
    public var activation: Activation
    public var positions: PositionKind
    /// Bias on q/k/v projections (Qwen2; GPT-2's fused c_attn).
    public var qkvBias: Bool
    /// Bias on the output projection and MLP (GPT-2; Llama's `attention_bias`/`mlp_bias`).
    public var outputBias: Bool
    public var mlpBias: Bool
    /// RMSNorm on each head's queries and keys before RoPE (Qwen3).
    public var qkNorm: Bool
    /// lm_head shares the token embedding (SmolLM, GPT-2, Llama 3.2 1B, the tiny fixture).
    public var tiedEmbeddings: Bool
    public var names: CheckpointNames
    /// Mistral's sliding window W: the query at position p attends keys p − W < j ≤ p (transformers'
    /// `sliding_window_overlay`); nil = plain causal attention.
    public var slidingWindow: Int?
    /// The token whose embedding row gets no gradient from the lookup: torch's `nn.Embedding(padding_idx=)`,
    /// which transformers' Llama, Mistral and Qwen models set to `pad_token_id` (GPT-2 sets none). Only the
    /// lookup's gradient is skipped; a tied LM head still trains that row, as in torch.
    public var embeddingPaddingIndex: Int32?

    public init(vocabSize: Int, hiddenSize: Int, layers: Int, heads: Int, kvHeads: Int, headDim: Int,
                intermediateSize: Int, norm: NormKind, mlp: MLPKind = .gated, activation: Activation = .silu,
                positions: PositionKind, qkvBias: Bool = false, outputBias: Bool = false, mlpBias: Bool = false,
                qkNorm: Bool = false, tiedEmbeddings: Bool = false, names: CheckpointNames = .llama) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.intermediateSize = intermediateSize
        self.norm = norm
        self.mlp = mlp
        self.activation = activation
        self.positions = positions
        self.qkvBias = qkvBias
        self.outputBias = outputBias
        self.mlpBias = mlpBias
        self.qkNorm = qkNorm
        self.tiedEmbeddings = tiedEmbeddings
        self.names = names
    }
}

/// The checkpoint key scheme of a family.
public enum CheckpointNames: Sendable, Equatable {
    /// `model.embed_tokens`, `model.layers.{i}.self_attn.q_proj`, …, `model.norm`, `lm_head`.
    case llama
    /// `transformer.wte`, `transformer.wpe`, `transformer.h.{i}.attn.c_attn`, …, `transformer.ln_f`.
    case gpt2
}
