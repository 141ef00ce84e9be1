// TokenwiseGuidance: reward-guided token selection — ARGS (Khanov, Burapacheep, Li, "ARGS: Alignment as
// Reward-Guided Search", ICLR 2024, arXiv 2402.01694, §3) and tokenwise controlled decoding (Mudgal et
// al., "Controlled Decoding from Language Models", ICML 2024, arXiv 2310.17022, §3). At every step:
//   1. candidates V_k = the top-k tokens of π_ref(· | x, y<t) (the model's own distribution, T = 1);
//   2. score(v) = log π_ref(v | x, y<t) + w · r(x, [y<t, v])   (ARGS Eq. 2; the reward model scores
//      the partial text, one call per candidate — k reward calls per token);
//   3. ARGS-greedy takes the argmax; ARGS-stochastic samples from softmax(score / T) over V_k.
// The reference implementation (deeplearning-wisc/args argsearch.py, commit 021ab5f, `generate_step`) adds
// the raw logit instead of log π_ref; the two differ by the step's logsumexp, the same for every
// candidate, so the choice and the sampling distribution are identical (the parity fixture checks it).
// Sampling from softmax(score) is also CD's tokenwise policy π(z|s) ∝ π_ref(z|s)·exp(λ·V([s,z])) over
// the top-k, with the prefix scorer V played by a `Reward` on the partial text (CD trains V_θ; any
// learned prefix scorer conforms to `Reward`). w = 0 with greedy selection is plain greedy decoding.
// The k candidate texts are scored in one `rewardScores` call (one batch for a `BatchReward`).
// Defaults: k = 10 (decoding.md §7.3, [M]); w = 1 is this toolkit's choice (no verified default).

import Foundation

/// Options of reward-guided token selection.
public struct TokenwiseGuidanceConfig: Equatable, Sendable {
    /// How the next token is chosen among the scored candidates.
    public enum Selection: String, Codable, Sendable {
        /// The highest score (ARGS-greedy).
        case greedy
        /// A draw from softmax(score) over the candidates (ARGS-stochastic, tokenwise CD).
        case sample
    }

    /// Candidates per step (ARGS' k).
    public var topK = 10
    /// Reward weight (ARGS' w, CD's λ).
    public var weight = 1.0
    /// Greedy or sampled selection.
    public var selection = Selection.greedy
    /// `.sample` draws from softmax(score / temperature) (argsearch.py's "topk" method defaults to 0.7).
    public var temperature = 1.0

    /// Defaults: k = 10, w = 1, greedy, temperature 1.
    public init(topK: Int = 10, weight: Double = 1.0, selection: Selection = .greedy, temperature: Double = 1) {
        self.topK = topK
        self.weight = weight
        self.selection = selection
        self.temperature = temperature
    }

    /// - Throws: `invalidParameter` for k < 1 or a non-finite weight.
    public func validate() throws {
        guard topK >= 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "top_k", value: "\(topK)", expected: "an integer >= 1")
        }
        guard weight.isFinite else {
            throw AlignDecodingError.invalidParameter(parameter: "weight", value: "\(weight)", expected: "a finite value")
        }
        guard temperature > 0, temperature.isFinite else {
            throw AlignDecodingError.invalidParameter(parameter: "temperature", value: "\(temperature)",
                                                      expected: "a finite value > 0")
        }
    }
}

/// One step's scored candidates.
public struct GuidedCandidate: Equatable, Sendable {
    /// The candidate token.
    public let token: Int32
    /// log π_ref(token | x, y<t).
    public let logProb: Double
    /// r(x, [y<t, token]).
    public let reward: Double
    /// logProb + w · reward.
    public let score: Double
}

/// ARGS / tokenwise controlled decoding.
public enum TokenwiseGuidance {
    /// Decodes `prompt` token by token with reward-guided selection.
    ///
    /// - Parameters:
    ///   - parameters: `max_new_tokens`, `eos_token_id`, `pad_token_id` and `seed` (for `.sample`) are used.
    /// - Throws: `invalidParameter` for a bad config; model and reward errors.
    public static func run<Model: CausalLM>(model: Model, prompt: [Int32], promptText: String,
                                            parameters: GenerateParameters, decoder: any TokenBytes,
                                            reward: any Reward, config: TokenwiseGuidanceConfig = .init()) throws -> SearchResult {
        try config.validate()
        try parameters.validate()
        let limits = SearchLimits(parameters)
        var rows = try SearchRows.start(model: model, prompt: prompt)
        var stats = SearchStats()
        var logProb = 0.0
        while !rows.finished[0] && rows.generated[0].count < limits.maxNewTokens {
            let candidates = try score(rows: rows, promptText: promptText, decoder: decoder, reward: reward,
                                       config: config, limits: limits)
            stats.candidatesScored += candidates.count
            stats.rewardCalls += candidates.count
            let scores = candidates.map(\.score)
            let chosen: Int
            switch config.selection {
            case .greedy: chosen = SearchMath.argmax(scores)
            case .sample:
                let u = PhiloxRandom(seed: parameters.seed).uniform(position: UInt64(stats.steps))
                chosen = SearchMath.sample(scores.map { $0 / config.temperature }, u: u)
            }
            logProb += candidates[chosen].logProb
            stats.steps += 1
            try rows.append([candidates[chosen].token], limits: limits)
        }
        return try SearchResult.finish(tokens: rows.generated[0], logProb: logProb, stats: stats, promptText: promptText,
                                       decoder: decoder, reward: reward, limits: limits)
    }

    /// The top-k candidates of row 0 of `rows` with their ARGS scores, in descending log-probability.
    static func score<Model>(rows: SearchRows<Model>, promptText: String, decoder: any TokenBytes, reward: any Reward,
                             config: TokenwiseGuidanceConfig, limits: SearchLimits) throws -> [GuidedCandidate] {
        let logProbs = SearchMath.logSoftmax(rows.logitsRow(0))
        let top = SearchMath.topK(logProbs, config.topK)
        guard !top.isEmpty else { throw AlignDecodingError.noSampleableToken(row: 0) }
        let prefix = rows.generated[0]
        let texts = top.map { SearchMath.text(prefix + [Int32($0.index)], decoder: decoder, eos: limits.eosTokenIds) }
        let rewards = try rewardScores(reward, prompt: promptText, completions: texts)
        return zip(top, rewards).map { c, r in
            GuidedCandidate(token: Int32(c.index), logProb: c.value, reward: r, score: c.value + config.weight * r)
        }
    }
}

extension SearchResult {
    /// The result for generated `tokens`: text, finish reason and final reward.
    static func finish(tokens: [Int32], logProb: Double, stats: SearchStats, promptText: String,
                       decoder: any TokenBytes, reward: any Reward, limits: SearchLimits) throws -> SearchResult {
        let text = SearchMath.text(tokens, decoder: decoder, eos: limits.eosTokenIds)
        let stop = tokens.last.map { limits.eosTokenIds.contains($0) } ?? false
        return SearchResult(tokens: tokens, text: text, finishReason: stop ? .stop : .length,
                            reward: try reward.score(prompt: promptText, completion: text), logProb: logProb, stats: stats)
    }
}
