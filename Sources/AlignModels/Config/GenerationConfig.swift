// GenerationConfig: generation_config.json, the decoding defaults a model ships with
// (transformers generation/configuration_utils.py `GenerationConfig`, v5.24). Only the fields the
// decoder uses are decoded; unset fields stay nil so the caller's own defaults apply. Values that
// cannot be sampled with (negative temperature, top_p outside (0, 1], negative top_k or lengths)
// are typed errors naming the key.
import Foundation

/// Decoding defaults from generation_config.json.
public struct GenerationConfig: Decodable, Equatable, Sendable {
    /// Where it came from, for error messages.
    public var path: String = "generation_config.json"

    /// The id generation starts from (`bos_token_id`).
    public let bosTokenId: Int?
    /// One id or several (any of them stops generation).
    public let eosTokenId: TokenIDs?
    /// The id that pads finished rows in a batch (`pad_token_id`).
    public let padTokenId: Int?
    /// Completion length limit in tokens (`max_new_tokens`).
    public let maxNewTokens: Int?
    /// Prompt + completion length limit (the older way to bound generation).
    public let maxLength: Int?
    /// Sample (true) or decode greedily (false) (`do_sample`).
    public let doSample: Bool?
    /// Logit divisor before sampling; ≥ 0 (`temperature`).
    public let temperature: Double?
    /// Nucleus mass kept, in (0, 1] (`top_p`).
    public let topP: Double?
    /// Number of most likely tokens kept; 0 keeps all (`top_k`).
    public let topK: Int?
    /// CTRL-style penalty on seen tokens; > 0 (`repetition_penalty`).
    public let repetitionPenalty: Double?

    enum CodingKeys: String, CodingKey {
        case bosTokenId = "bos_token_id"
        case eosTokenId = "eos_token_id"
        case padTokenId = "pad_token_id"
        case maxNewTokens = "max_new_tokens"
        case maxLength = "max_length"
        case doSample = "do_sample"
        case temperature
        case topP = "top_p"
        case topK = "top_k"
        case repetitionPenalty = "repetition_penalty"
    }

    /// Decodes the fields above; other keys are ignored.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // pad/bos may be written as a one-element list by some exporters; take its first id.
        bosTokenId = try c.decodeIfPresent(TokenIDs.self, forKey: .bosTokenId)?.first
        eosTokenId = try c.decodeIfPresent(TokenIDs.self, forKey: .eosTokenId)
        padTokenId = try c.decodeIfPresent(TokenIDs.self, forKey: .padTokenId)?.first
        maxNewTokens = try c.decodeIfPresent(Int.self, forKey: .maxNewTokens)
        maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength)
        doSample = try c.decodeIfPresent(Bool.self, forKey: .doSample)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        topP = try c.decodeIfPresent(Double.self, forKey: .topP)
        topK = try c.decodeIfPresent(Int.self, forKey: .topK)
        repetitionPenalty = try c.decodeIfPresent(Double.self, forKey: .repetitionPenalty)
    }

    /// Loads and validates generation_config.json at `url`.
    public static func load(contentsOf url: URL) throws -> GenerationConfig {
        var g = try ConfigJSON.decode(GenerationConfig.self, from: url)
        g.path = url.path
        try g.validate()
        return g
    }

    /// Decodes and validates generation_config.json text.
    public static func decode(_ data: Data, path: String = "generation_config.json") throws -> GenerationConfig {
        var g = try ConfigJSON.decode(GenerationConfig.self, from: data, path: path)
        g.path = path
        try g.validate()
        return g
    }

    /// Rejects values no sampler can use.
    func validate() throws {
        func bad(_ key: String, _ reason: String) -> AlignModelsError { .invalidConfig(file: path, key: key, reason: reason) }
        if let t = temperature, !(t >= 0 && t.isFinite) { throw bad("temperature", "must be ≥ 0, got \(t)") }
        if let p = topP, !(p > 0 && p <= 1) { throw bad("top_p", "must be in (0, 1], got \(p)") }
        if let k = topK, k < 0 { throw bad("top_k", "must be ≥ 0, got \(k)") }
        if let n = maxNewTokens, n < 0 { throw bad("max_new_tokens", "must be ≥ 0, got \(n)") }
        if let n = maxLength, n < 0 { throw bad("max_length", "must be ≥ 0, got \(n)") }
        if let r = repetitionPenalty, !(r > 0 && r.isFinite) { throw bad("repetition_penalty", "must be > 0, got \(r)") }
    }
}
