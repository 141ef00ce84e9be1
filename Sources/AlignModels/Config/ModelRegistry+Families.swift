// ModelRegistry+Families: the per-family resolvers. Defaults are those of the transformers config
// classes (configuration_llama.py, configuration_mistral.py, configuration_qwen2.py,
// configuration_qwen3.py, configuration_gpt2.py; v4.45–v5.24), and the bias/norm layout is that of
// the matching modeling_*.py files:
//   llama   q/k/v/o bias = attention_bias, MLP bias = mlp_bias
//   mistral no biases (the attention_bias key is not read by MistralAttention)
//   qwen2   q/k/v bias always, o without
//   qwen3   q/k/v/o bias = attention_bias, RMSNorm on q and k per head, head_dim defaults to 128
//   gpt2    LayerNorm, learned positions, plain GELU MLP, all biases, fused Conv1D c_attn
// Sliding windows: Mistral's is applied by the attention (each query sees its last W positions, as
// transformers' sliding_window_overlay); Qwen2/Qwen3's
// `sliding_window` is ignored unless `use_sliding_window` is true — transformers ignores it too —
// and true is rejected, since only the layers from max_window_layers on would be windowed.
// `pretraining_tp` is ignored: transformers ≥ 4.40 no longer slices by it (it was a numerical no-op).

extension ModelRegistry {
    /// Per-family defaults from the transformers config classes.
    private static func defaults(_ family: ModelArchitecture.Family) -> (maxPositions: Int, slidingWindow: Int?) {
        switch family {
        case .llama: return (2048, nil)
        case .mistral: return (4096 * 32, 4096)
        case .qwen2, .qwen3: return (32768, nil)
        case .gpt2: return (1024, nil)
        }
    }

    /// Llama, Mistral, Qwen2 and Qwen3: RMSNorm, gated MLP, RoPE.
    static func resolveRopeDecoder(_ config: ModelConfig, family: ModelArchitecture.Family) throws -> ModelArchitecture {
        let c = ConfigCheck(config: config)
        let hidden = try c.positive(config.hiddenSize, "hidden_size")
        let heads = try c.positive(config.numAttentionHeads, "num_attention_heads")
        let kvHeads = try c.positive(config.numKeyValueHeads, "num_key_value_heads", default: heads)
        guard heads % kvHeads == 0 else {
            throw AlignModelsError.invalidConfig(file: config.path, key: "num_key_value_heads",
                                                 reason: "\(kvHeads) does not divide num_attention_heads \(heads)")
        }
        let headDim = try resolveHeadDim(config, c, family: family, hidden: hidden, heads: heads)
        try rejectUnsupportedAttention(config, c, family: family)
        let bias = config.attentionBias ?? false
        let (qkvBias, outputBias): (Bool, Bool) = switch family {
        case .llama, .qwen3: (bias, bias)
        case .qwen2: (true, false)
        case .mistral, .gpt2: (false, false)
        }
        let d = defaults(family)
        let window = family == .mistral ? (config.hasSlidingWindowKey ? config.slidingWindow : d.slidingWindow) : nil
        return ModelArchitecture(
            family: family, modelType: config.modelType,
            vocabSize: try c.positive(config.vocabSize, "vocab_size"), hiddenSize: hidden,
            intermediateSize: try c.positive(config.intermediateSize, "intermediate_size"),
            layerCount: try c.positive(config.numHiddenLayers, "num_hidden_layers"),
            headCount: heads, kvHeadCount: kvHeads, headDim: headDim,
            norm: .rms(eps: try c.positive(config.rmsNormEps, "rms_norm_eps", default: 1e-6)),
            activation: try c.activation(config.hiddenAct ?? "silu", key: "hidden_act"), mlp: .gated,
            qkvBias: qkvBias, outputBias: outputBias, mlpBias: family == .llama ? (config.mlpBias ?? false) : false,
            qkNorm: family == .qwen3, tiedEmbeddings: config.tieWordEmbeddings ?? false,
            positional: .rope(try c.rope(dimensions: headDim, defaultTheta: 10000)),
            maxPositionEmbeddings: try c.positive(config.maxPositionEmbeddings, "max_position_embeddings", default: d.maxPositions),
            slidingWindow: window, fusedQKVConv1D: false,
            bosTokenId: config.bosTokenId?.first, eosTokenIds: config.eosTokenId?.ids ?? [], padTokenId: config.padTokenId?.first)
    }

    /// head_dim when given; Qwen3's default 128; otherwise hidden_size / heads, which must divide.
    private static func resolveHeadDim(_ config: ModelConfig, _ c: ConfigCheck, family: ModelArchitecture.Family,
                                       hidden: Int, heads: Int) throws -> Int {
        if config.headDim != nil || family == .qwen3 { return try c.positive(config.headDim, "head_dim", default: 128) }
        guard hidden % heads == 0 else {
            throw AlignModelsError.invalidConfig(file: config.path, key: "hidden_size",
                                                 reason: "\(hidden) is not divisible by num_attention_heads \(heads) and head_dim is absent")
        }
        return hidden / heads
    }

    /// Switches whose non-default values change attention or RoPE in ways AlignKit does not compute.
    private static func rejectUnsupportedAttention(_ config: ModelConfig, _ c: ConfigCheck, family: ModelArchitecture.Family) throws {
        try c.reject(config.useSlidingWindow, "use_sliding_window", when: true,
                     reason: "windowed attention on layers from max_window_layers on is not implemented")
        try c.reject(config.useMrope, "use_mrope", when: true, reason: "multimodal RoPE is not implemented")
        try c.reject(config.ropeInterleaved, "rope_interleaved", when: true,
                     reason: "only the rotate-half RoPE layout transformers uses is implemented")
        if family != .mistral, let kinds = config.layerTypes, let other = kinds.first(where: { $0 != "full_attention" }) {
            throw AlignModelsError.unsupportedConfigValue(file: config.path, key: "layer_types", value: "\"\(other)\"",
                                                          reason: "only full_attention layers are implemented")
        }
    }

    /// GPT-2: LayerNorm, learned positions, plain MLP, Conv1D weights, GPT2Config's defaults and aliases.
    static func resolveGPT2(_ config: ModelConfig) throws -> ModelArchitecture {
        let c = ConfigCheck(config: config)
        let width = try c.positive(config.nEmbd ?? config.hiddenSize, "n_embd")
        let heads = try c.positive(config.nHead ?? config.numAttentionHeads, "n_head")
        guard width % heads == 0 else {
            throw AlignModelsError.invalidConfig(file: config.path, key: "n_embd", reason: "\(width) is not divisible by n_head \(heads)")
        }
        try c.reject(config.scaleAttnByInverseLayerIdx, "scale_attn_by_inverse_layer_idx", when: true,
                     reason: "attention scores scaled by 1/(layer index + 1) are not implemented")
        try c.reject(config.scaleAttnWeights, "scale_attn_weights", when: false,
                     reason: "unscaled attention scores are not implemented")
        let positions = try c.positive(config.nPositions ?? config.maxPositionEmbeddings, "n_positions", default: 1024)
        return ModelArchitecture(
            family: .gpt2, modelType: config.modelType,
            vocabSize: try c.positive(config.vocabSize, "vocab_size"), hiddenSize: width,
            intermediateSize: try c.positive(config.nInner, "n_inner", default: 4 * width),
            layerCount: try c.positive(config.nLayer ?? config.numHiddenLayers, "n_layer"),
            headCount: heads, kvHeadCount: heads, headDim: width / heads,
            norm: .layer(eps: try c.positive(config.layerNormEpsilon, "layer_norm_epsilon", default: 1e-5)),
            activation: try c.activation(config.activationFunction ?? "gelu_new", key: "activation_function"), mlp: .plain,
            qkvBias: true, outputBias: true, mlpBias: true, qkNorm: false,
            tiedEmbeddings: config.tieWordEmbeddings ?? true,
            positional: .learned(maxPositions: positions), maxPositionEmbeddings: positions,
            slidingWindow: nil, fusedQKVConv1D: true,
            bosTokenId: config.bosTokenId?.first, eosTokenIds: config.eosTokenId?.ids ?? [], padTokenId: config.padTokenId?.first)
    }
}
