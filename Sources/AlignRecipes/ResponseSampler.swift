// ResponseSampler: K sampled responses per prompt from a causal LM, batched as rows (prompt i, sample j)
// through AlignDecoding's TokenGenerator (left padding, KV cache, stop strings, EOS). Each batch gets its
// own seed (base seed + batch index), so a run is reproducible for a fixed seed and batch size.
import AlignDecoding
import AlignModels
import AlignTokenizers
import Foundation

/// How responses are sampled.
public struct SamplingSettings: Sendable, Equatable {
    /// Responses per prompt.
    public var samplesPerPrompt = 4
    /// The decoding parameters (temperature, top-k, max_new_tokens, EOS ids, stop strings, seed).
    public var parameters: GenerateParameters
    /// Rows per forward pass.
    public var batchRows = 32

    public init(parameters: GenerateParameters, samplesPerPrompt: Int = 4, batchRows: Int = 32) {
        (self.parameters, self.samplesPerPrompt, self.batchRows) = (parameters, samplesPerPrompt, batchRows)
    }

    /// generation_config.json of `directory` (when present) with the given overrides, sampling on.
    public static func fromModel(directory: URL, samplesPerPrompt: Int, maxNewTokens: Int, temperature: Float,
                                 seed: UInt64, stopStrings: [String] = []) throws -> SamplingSettings {
        let url = directory.appendingPathComponent("generation_config.json")
        var p = FileManager.default.fileExists(atPath: url.path) ? try GenerateParameters(contentsOf: url) : GenerateParameters()
        p.maxNewTokens = maxNewTokens
        p.doSample = temperature > 0
        if temperature > 0 { p.temperature = temperature }
        p.seed = seed
        p.stopStrings = stopStrings
        if p.eosTokenIds.isEmpty, let eos = try ModelConfig.load(contentsOf: directory.appendingPathComponent("config.json")).eosTokenId {
            p.eosTokenIds = eos.ids.map { Int32($0) }
        }
        try p.validate()
        guard samplesPerPrompt >= 1 else {
            throw AlignRecipesError.invalidSetting(name: "samples per prompt", value: "\(samplesPerPrompt)", expected: "≥ 1")
        }
        return SamplingSettings(parameters: p, samplesPerPrompt: samplesPerPrompt)
    }
}

/// The sampled responses of one prompt.
public struct PromptSamples: Sendable, Equatable {
    public var prompt: RecipePrompt
    /// Response texts (ending before any stop string, EOS not included).
    public var responses: [String]
}

/// Samples responses.
public enum ResponseSampler {
    /// `settings.samplesPerPrompt` responses for each prompt, in prompt order.
    public static func sample(model: DecoderModel, tokenizer: Tokenizer, prompts: [RecipePrompt],
                              settings: SamplingSettings) throws -> [PromptSamples] {
        let k = settings.samplesPerPrompt
        let rows = prompts.indices.flatMap { i in (0 ..< k).map { _ in i } }  // row → prompt index
        let ids = prompts.map { p in tokenizer.encode(p.text).ids.map { Int32($0) } }
        let size = max(1, settings.batchRows)
        var texts: [String] = []
        for start in stride(from: 0, to: rows.count, by: size) {
            let slice = rows[start ..< min(start + size, rows.count)]
            var p = settings.parameters
            p.seed = settings.parameters.seed &+ UInt64(start / size)
            let generator = try TokenGenerator(model: model, prompts: slice.map { ids[$0] }, parameters: p, decoder: tokenizer)
            texts += try generator.run().map(\.text)
        }
        return prompts.enumerated().map { i, prompt in
            PromptSamples(prompt: prompt, responses: Array(texts[i * k ..< (i + 1) * k]))
        }
    }
}
