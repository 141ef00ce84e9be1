// BlockwiseControlledDecoding: the blockwise variant of controlled decoding (Mudgal et al., "Controlled
// Decoding from Language Models", ICML 2024, arXiv 2310.17022, §3.2 "blockwise CD"; decoding.md §7.3):
// repeat until EOS or max_new_tokens —
//   1. draw K continuations of (up to) M tokens from π_ref given the current prefix (one batched run of
//      K rows; sample j of round n uses Philox stream n·K + j, draw i at position i);
//   2. score each by the value of the extended prefix, V([x, y, block_j]) — here a `Reward` on the
//      partial text (CD trains a prefix scorer V_θ; any learned scorer conforms to `Reward`);
//   3. keep the best block (the first on ties) and continue from it.
// M ≥ max_new_tokens is best-of-K (one round); the test checks that identity against `BestOfN` with the
// same seed. Defaults K = 4, M = 8 are this toolkit's choice (the paper sweeps both).

import Foundation

/// Options of blockwise controlled decoding.
public struct BlockwiseCDConfig: Equatable, Sendable {
    /// Continuations sampled per round (K).
    public var numSamples = 4
    /// Tokens per block (M).
    public var blockSize = 8
    /// Sampling temperature of the blocks (π_ref itself at 1).
    public var temperature: Float = 1

    /// Defaults: K = 4, M = 8, temperature 1.
    public init(numSamples: Int = 4, blockSize: Int = 8, temperature: Float = 1) {
        self.numSamples = numSamples
        self.blockSize = blockSize
        self.temperature = temperature
    }

    /// - Throws: `invalidParameter` for K < 1, M < 1 or a non-positive temperature.
    public func validate() throws {
        guard numSamples >= 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "num_samples", value: "\(numSamples)", expected: "an integer >= 1")
        }
        guard blockSize >= 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "block_size", value: "\(blockSize)", expected: "an integer >= 1")
        }
        guard temperature > 0, temperature.isFinite else {
            throw AlignDecodingError.invalidParameter(parameter: "temperature", value: "\(temperature)", expected: "a finite value > 0")
        }
    }
}

/// Blockwise controlled decoding (sample K blocks, keep the best by value).
public enum BlockwiseControlledDecoding {
    /// Decodes `prompt` block by block.
    ///
    /// - Parameters:
    ///   - parameters: `max_new_tokens`, `eos_token_id`, `pad_token_id` and `seed` are used.
    ///   - value: the prefix value V([x, y]) (a reward on the partial completion).
    /// - Throws: `invalidParameter` for a bad config; model and reward errors.
    public static func run<Model: CausalLM>(model: Model, prompt: [Int32], promptText: String,
                                            parameters: GenerateParameters, decoder: any TokenBytes,
                                            value: any Reward, config: BlockwiseCDConfig = .init()) throws -> SearchResult {
        try config.validate()
        try parameters.validate()
        let limits = SearchLimits(parameters)
        let k = config.numSamples
        var rows = try SearchRows.start(model: model, prompt: prompt)
        var stats = SearchStats()
        var logProb = 0.0
        while !rows.finished[0] && rows.generated[0].count < limits.maxNewTokens {
            var blocks = try rows.selected(Array(repeating: 0, count: k))
            let policy = SearchRows<Model>.RolloutPolicy.sample(seed: parameters.seed, streamBase: UInt64(stats.steps * k),
                                                                positionBase: 0, temperature: config.temperature)
            let drawn = try blocks.extend(length: config.blockSize, policy: policy, limits: limits)
            let texts = blocks.generated.map { SearchMath.text($0, decoder: decoder, eos: limits.eosTokenIds) }
            let values = try rewardScores(value, prompt: promptText, completions: texts)
            stats.rewardCalls += k
            stats.candidatesScored += k
            stats.rolloutTokens += drawn.continuations.reduce(0) { $0 + $1.count }
            let best = SearchMath.argmax(values)
            logProb += drawn.logProbs[best]  // Σ log π_ref at temperature 1, whatever the draw's temperature
            rows = try blocks.selected([best])
            stats.steps += 1
        }
        return try SearchResult.finish(tokens: rows.generated[0], logProb: logProb, stats: stats, promptText: promptText,
                                       decoder: decoder, reward: value, limits: limits)
    }
}
