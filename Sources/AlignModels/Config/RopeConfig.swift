// RopeConfig: the rotary-embedding block of config.json in both spellings transformers has used:
// v4's top-level `rope_theta` plus `rope_scaling {rope_type | type, factor, low_freq_factor,
// high_freq_factor, original_max_position_embeddings}`, and v5's `rope_parameters` holding the
// same keys plus `rope_theta` (transformers modeling_rope_utils.py, `ROPE_INIT_FUNCTIONS`).
// Only the types whose frequencies AlignKit computes are accepted downstream: "default",
// "linear" and "llama3"; "dynamic", "yarn", "longrope" and others are rejected by the registry.

/// A `rope_scaling` / `rope_parameters` object.
public struct RopeConfig: Decodable, Equatable, Sendable {
    /// `rope_type`, or the older `type` key ("default", "linear", "llama3", "dynamic", "yarn", …).
    public let ropeType: String?
    /// Present in v5's `rope_parameters`.
    public let ropeTheta: Double?
    /// The scaling factor of "linear" and "llama3".
    public let factor: Double?
    /// "llama3": wavelengths above original_max / low_freq_factor are scaled by 1/factor.
    public let lowFreqFactor: Double?
    /// "llama3": wavelengths below original_max / high_freq_factor are kept.
    public let highFreqFactor: Double?
    /// "llama3": the context length the model was pre-trained with.
    public let originalMaxPositionEmbeddings: Int?
    /// Rotating only part of each head (GPT-NeoX style) changes the math; must be absent or 1.
    public let partialRotaryFactor: Double?

    enum CodingKeys: String, CodingKey {
        case ropeType = "rope_type", type
        case ropeTheta = "rope_theta"
        case factor
        case lowFreqFactor = "low_freq_factor"
        case highFreqFactor = "high_freq_factor"
        case originalMaxPositionEmbeddings = "original_max_position_embeddings"
        case partialRotaryFactor = "partial_rotary_factor"
    }

    /// A rope block built in code (for tests and programmatic configs).
    public init(ropeType: String?, ropeTheta: Double? = nil, factor: Double? = nil, lowFreqFactor: Double? = nil,
                highFreqFactor: Double? = nil, originalMaxPositionEmbeddings: Int? = nil, partialRotaryFactor: Double? = nil) {
        self.ropeType = ropeType
        self.ropeTheta = ropeTheta
        self.factor = factor
        self.lowFreqFactor = lowFreqFactor
        self.highFreqFactor = highFreqFactor
        self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
        self.partialRotaryFactor = partialRotaryFactor
    }

    /// Decodes a `rope_scaling` / `rope_parameters` object.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // transformers reads `rope_type` and falls back to the legacy `type` key.
        ropeType = try c.decodeIfPresent(String.self, forKey: .ropeType) ?? c.decodeIfPresent(String.self, forKey: .type)
        ropeTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta)
        factor = try c.decodeIfPresent(Double.self, forKey: .factor)
        lowFreqFactor = try c.decodeIfPresent(Double.self, forKey: .lowFreqFactor)
        highFreqFactor = try c.decodeIfPresent(Double.self, forKey: .highFreqFactor)
        originalMaxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .originalMaxPositionEmbeddings)
        partialRotaryFactor = try c.decodeIfPresent(Double.self, forKey: .partialRotaryFactor)
    }
}
