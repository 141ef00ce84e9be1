// ModelRegistry: model_type → the function that turns a ModelConfig into a ModelArchitecture,
// applying the defaults of the matching transformers config class and rejecting what AlignKit does
// not compute (a type it does not know, a RoPE scaling it does not implement, sliding-window
// layers, interleaved RoPE, GPT-2's layer-index attention scaling). One line per family, as
// mlx-swift-lm's LLMModelFactory does; the family resolvers live in ModelRegistry+Families.swift.
// SmolLM and SmolLM2 need no entry: their config.json says model_type "llama" (tied embeddings).
import Foundation

/// Resolves config.json into a normalized architecture description.
///
///     let arch = try ModelRegistry.architecture(contentsOf: modelDir.appendingPathComponent("config.json"))
///     arch.family        // .llama
///     arch.positional    // .rope(theta: 500000, scaling: .llama3(...), dimensions: 64)
public enum ModelRegistry {
    /// The resolver for each supported `model_type`.
    static let resolvers: [String: (ModelConfig) throws -> ModelArchitecture] = [
        "llama": { try resolveRopeDecoder($0, family: .llama) },
        "mistral": { try resolveRopeDecoder($0, family: .mistral) },
        "qwen2": { try resolveRopeDecoder($0, family: .qwen2) },
        "qwen3": { try resolveRopeDecoder($0, family: .qwen3) },
        "gpt2": { try resolveGPT2($0) },
    ]

    /// The `model_type` values AlignKit implements, sorted.
    public static var supportedModelTypes: [String] { resolvers.keys.sorted() }

    /// The architecture `config` describes.
    /// - Throws: `unsupportedModelType`, `unsupportedConfigValue` naming the key, `missingConfigKey`,
    ///   or `invalidConfig` for impossible values (e.g. heads not dividing the width).
    public static func architecture(for config: ModelConfig) throws -> ModelArchitecture {
        guard let resolve = resolvers[config.modelType] else {
            throw AlignModelsError.unsupportedModelType(file: config.path, modelType: config.modelType,
                                                        supported: supportedModelTypes)
        }
        return try resolve(config)
    }

    /// Loads config.json at `url` and resolves it.
    public static func architecture(contentsOf url: URL) throws -> ModelArchitecture {
        try architecture(for: ModelConfig.load(contentsOf: url))
    }
}

/// Shared checks for the resolvers: required positive integers, activations, RoPE.
struct ConfigCheck {
    let config: ModelConfig
    var file: String { config.path }

    /// `value` (or `fallback`) as a positive integer; `key` names it in errors.
    func positive(_ value: Int?, _ key: String, default fallback: Int? = nil) throws -> Int {
        guard let v = value ?? fallback else { throw AlignModelsError.missingConfigKey(file: file, key: key) }
        guard v > 0 else { throw AlignModelsError.invalidConfig(file: file, key: key, reason: "must be positive, got \(v)") }
        return v
    }

    /// `value` (or `fallback`) as a positive finite number.
    func positive(_ value: Double?, _ key: String, default fallback: Double) throws -> Double {
        let v = value ?? fallback
        guard v > 0, v.isFinite else { throw AlignModelsError.invalidConfig(file: file, key: key, reason: "must be positive, got \(v)") }
        return v
    }

    /// transformers' ACT2FN names → the activations AlignKit implements.
    func activation(_ name: String, key: String) throws -> ModelArchitecture.Activation {
        switch name {
        case "silu", "swish": return .silu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": return .geluTanh
        case "gelu": return .gelu
        case "relu": return .relu
        default:
            throw AlignModelsError.unsupportedConfigValue(
                file: file, key: key, value: "\"\(name)\"", reason: "supported: silu, swish, gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu")
        }
    }

    /// `flag` must not be `bad` (a switch whose non-default value changes the math).
    func reject(_ flag: Bool?, _ key: String, when bad: Bool, reason: String) throws {
        if flag == bad {
            throw AlignModelsError.unsupportedConfigValue(file: file, key: key, value: "\(bad)", reason: reason)
        }
    }

    /// RoPE from v5 `rope_parameters` (preferred, as transformers v5 reads it) or v4 `rope_theta` + `rope_scaling`.
    func rope(dimensions: Int, defaultTheta: Double) throws -> ModelArchitecture.Rope {
        let (block, key) = config.ropeParameters.map { ($0, "rope_parameters") } ?? (config.ropeScaling, "rope_scaling")
        let theta = try positive(config.ropeParameters?.ropeTheta ?? config.ropeTheta,
                                 config.ropeParameters?.ropeTheta != nil ? "rope_parameters.rope_theta" : "rope_theta",
                                 default: defaultTheta)
        if let p = block?.partialRotaryFactor, p != 1 {
            throw AlignModelsError.unsupportedConfigValue(file: file, key: "\(key).partial_rotary_factor", value: "\(p)",
                                                          reason: "only full rotation of each head is implemented")
        }
        return .init(theta: theta, scaling: try ropeScaling(block, key: key), dimensions: dimensions)
    }

    /// The scaling of a rope block; "default"/absent, "linear" and "llama3" are implemented.
    private func ropeScaling(_ block: RopeConfig?, key: String) throws -> ModelArchitecture.RopeScaling {
        guard let block, let type = block.ropeType, type != "default" else { return .none }
        func need<T>(_ v: T?, _ name: String) throws -> T {
            guard let v else { throw AlignModelsError.missingConfigKey(file: file, key: "\(key).\(name)") }
            return v
        }
        switch type {
        case "linear":
            return .linear(factor: try positive(try need(block.factor, "factor"), "\(key).factor", default: 1))
        case "llama3":
            let low = try positive(try need(block.lowFreqFactor, "low_freq_factor"), "\(key).low_freq_factor", default: 1)
            let high = try positive(try need(block.highFreqFactor, "high_freq_factor"), "\(key).high_freq_factor", default: 1)
            // The smooth blend divides by (high − low): equal factors would divide by zero.
            guard high > low else {
                throw AlignModelsError.invalidConfig(file: file, key: "\(key).high_freq_factor",
                                                     reason: "must exceed low_freq_factor (\(low)), got \(high)")
            }
            return .llama3(factor: try positive(try need(block.factor, "factor"), "\(key).factor", default: 1),
                           lowFreqFactor: low, highFreqFactor: high,
                           originalMaxPositions: try positive(block.originalMaxPositionEmbeddings,
                                                              "\(key).original_max_position_embeddings"))
        default:
            throw AlignModelsError.unsupportedConfigValue(
                file: file, key: "\(key).rope_type", value: "\"\(type)\"",
                reason: "implemented RoPE types are default, linear and llama3 (not dynamic, yarn, longrope, …)")
        }
    }
}
