// ModelConfig: config.json of a Hugging Face causal LM, decoded field by field with CodingKeys
// mapping the HF names (transformers' LlamaConfig, MistralConfig, Qwen2Config, Qwen3Config and
// GPT2Config, v4.45–v5.24). Every field is optional here because families spell the same fact
// differently (GPT-2's n_embd vs hidden_size) and transformers fills defaults per family; the
// registry (ModelRegistry) applies those defaults, requires what a family needs and rejects what
// changes the math unsupported. Keys that never affect the forward pass (initializer_range,
// dropout, use_cache, architectures) are not decoded.
import Foundation

/// The fields of config.json that decide a decoder's shape and math.
public struct ModelConfig: Decodable, Equatable, Sendable {
    /// Where the config came from, for error messages ("config.json" when decoded from memory).
    public var path: String = "config.json"

    /// The registry key: "llama", "mistral", "qwen2", "qwen3", "gpt2".
    public let modelType: String
    /// `vocab_size`: V.
    public let vocabSize: Int?
    /// `hidden_size`: C.
    public let hiddenSize: Int?
    /// `intermediate_size`: MLP inner width.
    public let intermediateSize: Int?
    /// `num_hidden_layers`: L.
    public let numHiddenLayers: Int?
    /// `num_attention_heads`: H.
    public let numAttentionHeads: Int?
    /// Grouped-query attention: key/value heads (defaults to numAttentionHeads).
    public let numKeyValueHeads: Int?
    /// Per-head width when it is not hidden_size / heads (Llama-3.2, Qwen3).
    public let headDim: Int?
    /// `rms_norm_eps` (RMSNorm families).
    public let rmsNormEps: Double?
    /// `layer_norm_epsilon` (GPT-2).
    public let layerNormEpsilon: Double?
    /// v4 spelling; v5 moves it into `rope_parameters`.
    public let ropeTheta: Double?
    /// v4 `rope_scaling` (null when unscaled).
    public let ropeScaling: RopeConfig?
    /// v5 `rope_parameters` (theta and scaling in one object).
    public let ropeParameters: RopeConfig?
    /// `max_position_embeddings`: the declared context length.
    public let maxPositionEmbeddings: Int?
    /// `tie_word_embeddings`: lm_head shares the embedding matrix.
    public let tieWordEmbeddings: Bool?
    /// Bias on q/k/v/o projections (Llama, Qwen3); Qwen2 always has q/k/v bias.
    public let attentionBias: Bool?
    /// Bias on the MLP projections (Llama).
    public let mlpBias: Bool?
    /// `hidden_act`: the MLP activation name ("silu", …).
    public let hiddenAct: String?
    /// `bos_token_id`.
    public let bosTokenId: TokenIDs?
    /// `eos_token_id` (an id or a list).
    public let eosTokenId: TokenIDs?
    /// `pad_token_id`.
    public let padTokenId: TokenIDs?
    /// `torch_dtype` (v4) or `dtype` (v5): the dtype the weights were saved in ("bfloat16", "float32").
    public let torchDType: String?

    // Sliding-window attention (Mistral; Qwen2/Qwen3 only when use_sliding_window is true).
    /// `sliding_window`: window length in tokens (null = none).
    public let slidingWindow: Int?
    /// Whether the file has a `sliding_window` key at all (absent means the family default; null means none).
    public let hasSlidingWindowKey: Bool
    /// `use_sliding_window` (Qwen2/Qwen3): whether `sliding_window` applies at all.
    public let useSlidingWindow: Bool?
    /// `max_window_layers` (Qwen2/Qwen3): first windowed layer when windows are on.
    public let maxWindowLayers: Int?
    /// v5 per-layer attention kinds ("full_attention", "sliding_attention").
    public let layerTypes: [String]?
    /// Qwen2-VL's multimodal RoPE.
    public let useMrope: Bool?
    /// SmolLM's flag for interleaved (GPT-J style) RoPE; true changes the math.
    public let ropeInterleaved: Bool?
    /// Tensor-parallel emulation of the original Llama; numerically a no-op in transformers ≥ 4.40.
    public let pretrainingTp: Int?

    // GPT-2 spellings (GPT2Config).
    /// `n_embd`: C.
    public let nEmbd: Int?
    /// `n_layer`: L.
    public let nLayer: Int?
    /// `n_head`: H.
    public let nHead: Int?
    /// `n_positions`: rows of the learned position table.
    public let nPositions: Int?
    /// MLP width; null means 4 × n_embd.
    public let nInner: Int?
    /// `activation_function` ("gelu_new" for GPT-2).
    public let activationFunction: String?
    /// GPT-2 attention scaling switches; only the defaults (true, false) are implemented.
    public let scaleAttnWeights: Bool?
    /// `scale_attn_by_inverse_layer_idx` (must be false).
    public let scaleAttnByInverseLayerIdx: Bool?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case vocabSize = "vocab_size"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads"
        case headDim = "head_dim"
        case rmsNormEps = "rms_norm_eps"
        case layerNormEpsilon = "layer_norm_epsilon"
        case ropeTheta = "rope_theta"
        case ropeScaling = "rope_scaling"
        case ropeParameters = "rope_parameters"
        case maxPositionEmbeddings = "max_position_embeddings"
        case tieWordEmbeddings = "tie_word_embeddings"
        case attentionBias = "attention_bias"
        case mlpBias = "mlp_bias"
        case hiddenAct = "hidden_act"
        case bosTokenId = "bos_token_id"
        case eosTokenId = "eos_token_id"
        case padTokenId = "pad_token_id"
        case torchDType = "torch_dtype", dtype
        case slidingWindow = "sliding_window"
        case useSlidingWindow = "use_sliding_window"
        case maxWindowLayers = "max_window_layers"
        case layerTypes = "layer_types"
        case useMrope = "use_mrope"
        case ropeInterleaved = "rope_interleaved"
        case pretrainingTp = "pretraining_tp"
        case nEmbd = "n_embd", nLayer = "n_layer", nHead = "n_head", nPositions = "n_positions", nInner = "n_inner"
        case activationFunction = "activation_function"
        case scaleAttnWeights = "scale_attn_weights"
        case scaleAttnByInverseLayerIdx = "scale_attn_by_inverse_layer_idx"
    }

    /// Decodes the keys above; `model_type` is required, every other key optional.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func opt<T: Decodable>(_ k: CodingKeys) throws -> T? { try c.decodeIfPresent(T.self, forKey: k) }
        modelType = try c.decode(String.self, forKey: .modelType)
        (vocabSize, hiddenSize, intermediateSize) = (try opt(.vocabSize), try opt(.hiddenSize), try opt(.intermediateSize))
        (numHiddenLayers, numAttentionHeads, numKeyValueHeads) = (try opt(.numHiddenLayers), try opt(.numAttentionHeads),
                                                                  try opt(.numKeyValueHeads))
        (headDim, rmsNormEps, layerNormEpsilon) = (try opt(.headDim), try opt(.rmsNormEps), try opt(.layerNormEpsilon))
        (ropeTheta, ropeScaling, ropeParameters) = (try opt(.ropeTheta), try opt(.ropeScaling), try opt(.ropeParameters))
        (maxPositionEmbeddings, tieWordEmbeddings) = (try opt(.maxPositionEmbeddings), try opt(.tieWordEmbeddings))
        (attentionBias, mlpBias, hiddenAct) = (try opt(.attentionBias), try opt(.mlpBias), try opt(.hiddenAct))
        (bosTokenId, eosTokenId, padTokenId) = (try opt(.bosTokenId), try opt(.eosTokenId), try opt(.padTokenId))
        torchDType = try opt(.torchDType) ?? opt(.dtype)
        hasSlidingWindowKey = c.contains(.slidingWindow)
        (slidingWindow, useSlidingWindow, maxWindowLayers) = (try opt(.slidingWindow), try opt(.useSlidingWindow),
                                                              try opt(.maxWindowLayers))
        (layerTypes, useMrope, ropeInterleaved, pretrainingTp) = (try opt(.layerTypes), try opt(.useMrope),
                                                                  try opt(.ropeInterleaved), try opt(.pretrainingTp))
        (nEmbd, nLayer, nHead, nPositions, nInner) = (try opt(.nEmbd), try opt(.nLayer), try opt(.nHead),
                                                      try opt(.nPositions), try opt(.nInner))
        activationFunction = try opt(.activationFunction)
        (scaleAttnWeights, scaleAttnByInverseLayerIdx) = (try opt(.scaleAttnWeights), try opt(.scaleAttnByInverseLayerIdx))
    }

    /// Decodes config.json at `url`.
    /// - Throws: `unreadableFile`, or `invalidConfig` / `missingConfigKey` naming the file and the key path
    ///   (e.g. `rope_scaling.factor`) for malformed JSON, wrong types and a missing `model_type`.
    public static func load(contentsOf url: URL) throws -> ModelConfig {
        var config = try ConfigJSON.decode(ModelConfig.self, from: url)
        config.path = url.path
        return config
    }

    /// Decodes config.json text (for tests and configs built in memory).
    public static func decode(_ data: Data, path: String = "config.json") throws -> ModelConfig {
        var config = try ConfigJSON.decode(ModelConfig.self, from: data, path: path)
        config.path = path
        return config
    }
}
