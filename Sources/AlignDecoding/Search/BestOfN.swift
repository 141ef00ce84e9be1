// BestOfN: sample N completions of a prompt from the policy and keep the one with the highest
// reward (decoding.md §7.4). The N samples are the N rows of one batched generation (Philox streams
// 0…N−1 of the seed), so a run is reproducible and "equal seed budget" comparisons with plain
// sampling use the very same samples. With a `CalibratedReward` the selection score is InfAlign's
// quantile C(x, y); `referenceRewards` draws the M reference samples that calibration needs (use a
// different seed from the best-of-N run so the two sample sets are independent).

/// One sampled candidate and its reward.
public struct BestOfNCandidate: Equatable, Sendable {
    /// The generated row.
    public let row: GeneratedRow
    /// Its reward (calibrated if the reward is a `CalibratedReward`).
    public let reward: Double
}

/// All candidates and the chosen one.
public struct BestOfNResult: Equatable, Sendable {
    /// The N candidates in sampling order.
    public let candidates: [BestOfNCandidate]
    /// Index of the highest reward (the first on ties).
    public let bestIndex: Int
    /// The chosen candidate.
    public var best: BestOfNCandidate { candidates[bestIndex] }
}

/// Best-of-N sampling.
public enum BestOfN {
    /// Samples `n` completions of `prompt` and returns them with the best by `reward`.
    ///
    /// - Parameters:
    ///   - promptText: the prompt as text, passed to the reward.
    ///   - parameters: sampling parameters (`do_sample` must be true unless `n == 1`).
    /// - Throws: `invalidParameter` for `n < 1` or greedy with `n > 1`; generation and reward errors.
    public static func run<Model: CausalLM>(model: Model, prompt: [Int32], promptText: String, n: Int,
                                            parameters: GenerateParameters, decoder: any TokenBytes,
                                            reward: any Reward,
                                            processors: [any LogitsProcessor] = []) throws -> BestOfNResult {
        let rows = try sample(model: model, prompt: prompt, n: n, parameters: parameters, decoder: decoder,
                              processors: processors)
        let candidates = try rows.map {
            BestOfNCandidate(row: $0, reward: try reward.score(prompt: promptText, completion: $0.text))
        }
        var best = 0
        for i in candidates.indices where candidates[i].reward > candidates[best].reward { best = i }
        return BestOfNResult(candidates: candidates, bestIndex: best)
    }

    /// Rewards of `m` reference samples (for `RewardCalibration`).
    public static func referenceRewards<Model: CausalLM>(model: Model, prompt: [Int32], promptText: String, m: Int,
                                                         parameters: GenerateParameters, decoder: any TokenBytes,
                                                         reward: any Reward) throws -> [Double] {
        try sample(model: model, prompt: prompt, n: m, parameters: parameters, decoder: decoder, processors: [])
            .map { try reward.score(prompt: promptText, completion: $0.text) }
    }

    /// `n` rows of one batched generation of the same prompt.
    static func sample<Model: CausalLM>(model: Model, prompt: [Int32], n: Int, parameters: GenerateParameters,
                                        decoder: any TokenBytes, processors: [any LogitsProcessor]) throws -> [GeneratedRow] {
        guard n >= 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "best_of", value: "\(n)", expected: "an integer >= 1")
        }
        guard parameters.doSample || n == 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "do_sample", value: "false",
                                                      expected: "true when sampling more than one candidate")
        }
        let generator = try TokenGenerator(model: model, prompts: Array(repeating: prompt, count: n),
                                           parameters: parameters, decoder: decoder, processors: processors)
        return try generator.run()
    }
}
