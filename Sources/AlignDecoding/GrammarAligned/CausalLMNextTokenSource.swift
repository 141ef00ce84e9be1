// CausalLMNextTokenSource: a `NextTokenSource` over any `CausalLM` (AlignModels' `DecoderModel`
// included) for one prompt. It keeps a single KV cache holding the prompt plus the last prefix it was
// asked about; a new prefix rolls the cache back to the longest common prefix and steps forward from
// there, so walking down a trie costs one model step per new token (ASAp's trie additionally caches
// each node's distribution, so a prefix is normally asked about once). Temperature is applied here,
// before the log-softmax: ASAp then targets the tempered model conditioned on the grammar.
import AlignTensor

/// Next-token log-probabilities of a causal LM after `prompt + prefix`.
public struct CausalLMNextTokenSource<Model: CausalLM>: NextTokenSource {
    /// The model.
    public let model: Model
    /// The prompt every prefix continues (non-empty).
    public let prompt: [Int32]
    /// Softmax temperature (> 0); 1 is the model's own distribution.
    public let temperature: Double

    private var cache: Model.Cache?
    private var promptLogits: [Float] = []  // [V] after the prompt alone
    private var fed: [Int32] = []           // generated tokens currently in the cache
    private var lastLogits: [Float] = []    // [V] after prompt + fed

    /// - Throws: `invalidParameter` for a temperature that is not positive and finite, `emptyPrompt`.
    public init(model: Model, prompt: [Int32], temperature: Double = 1) throws {
        guard temperature > 0, temperature.isFinite else {
            throw AlignDecodingError.invalidParameter(parameter: "temperature", value: "\(temperature)",
                                                      expected: "a positive finite number")
        }
        guard !prompt.isEmpty else { throw AlignDecodingError.emptyPrompt(row: 0) }
        (self.model, self.prompt, self.temperature) = (model, prompt, temperature)
    }

    public var vocabularySize: Int { model.vocabularySize }

    public mutating func logProbabilities(after prefix: [Int32]) throws -> [Double] {
        let logits = try logits(after: prefix)
        return logits.withUnsafeBufferPointer { logSoftmax($0, temperature: temperature) }
    }

    /// The `[V]` logits after `prompt + prefix`, reusing the cached common prefix.
    private mutating func logits(after prefix: [Int32]) throws -> [Float] {
        if cache == nil {
            let (logits, c) = try model.prefill([prompt])  // [1, V]
            try checkShape(logits)
            (cache, promptLogits, fed, lastLogits) = (c, logits.scalars, [], logits.scalars)
        }
        if prefix.isEmpty { return promptLogits }
        var common = 0
        while common < Swift.min(fed.count, prefix.count), fed[common] == prefix[common] { common += 1 }
        if common == prefix.count, common == fed.count { return lastLogits }
        // Keep at most prefix.count − 1 tokens so at least one step produces the logits after `prefix`.
        let keep = Swift.min(common, prefix.count - 1)
        guard var c = cache else { return promptLogits }
        cache = nil  // a failure below leaves the cache half-updated: the next call prefills again
        try model.rollback(&c, count: fed.count - keep)
        fed.removeLast(fed.count - keep)
        for token in prefix[keep...] {
            let logits = try model.step([token], cache: &c)  // [1, V]
            try checkShape(logits)
            lastLogits = logits.scalars
            fed.append(token)
        }
        cache = c
        return lastLogits
    }

    private func checkShape(_ logits: Tensor) throws {
        guard logits.shape == [1, model.vocabularySize] else {
            throw AlignDecodingError.logitsShapeMismatch(expected: [1, model.vocabularySize], actual: logits.shape)
        }
    }
}
