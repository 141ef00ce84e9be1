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
    public let vocabSize: Int?
    public let hiddenSize: Int?
    public let intermediateSize: Int?
    public let numHiddenLayers: Int?
    public let numAttentionHeads: Int?
    /// Grouped-query attention: key/value heads (defaults to numAttentionHeads).
    public let numKeyValueHeads: Int?
    /// Per-head width when it is not hidden_size / heads (Llama-3.2, Qwen3).
    public let headDim: Int?
    public let rmsNormEps: Double?
    public let layerNormEpsilon: Double?
    /// v4 spelling; v5 moves it into `rope_parameters`.
    public let ropeTheta: Double?
    /// v4 `rope_scaling` (null when unscaled).
    public let ropeScaling: RopeConfig?
    /// v5 `rope_parameters` (theta and scaling in one object).
    public let ropeParameters: RopeConfig?
    public let maxPositionEmbeddings: Int?
    public let tieWordEmbeddings: Bool?
    /// Bias on q/k/v/o projections (Llama, Qwen3); Qwen2 always has q/k/v bias.
    public let attentionBias: Bool?
    /// Bias on the MLP projections (Llama).
    public let mlpBias: Bool?
    public let hiddenAct: String?
    public let bosTokenId: TokenIDs?
    public let eosTokenId: TokenIDs?
    public let padTokenId: TokenIDs?
    /// `torch_dtype` (v4) or `dtype` (v5): the dtype the weights were saved in ("bfloat16", "float32").
    public let torchDType: String?

    // Sliding-window attention (Mistral; Qwen2/Qwen3 only when use_sliding_window is true).
    public let slidingWindow: Int?
    /// Whether the file has a `sliding_window` key at all (absent means the family default; null means none).
    public let hasSlidingWindowKey: Bool
    public let useSlidingWindow: Bool?
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
    public let nEmbd: Int?
    public let nLayer: Int?
    public let nHead: Int?
    public let nPositions: Int?
    /// MLP width; null means 4 × n_embd.
    public let nInner: Int?
    public let activationFunction: String?
    /// GPT-2 attention scaling switches; only the defaults (true, false) are implemented.
    public let scaleAttnWeights: Bool?
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
