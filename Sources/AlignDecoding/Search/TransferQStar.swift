// TransferQStar: Transfer Q* decoding (Chakraborty et al., "Transfer Q Star: Principled Decoding for LLM
// Alignment", NeurIPS 2024, arXiv 2405.20495; decoding.md §7.2). The token-level optimal policy is
// π*(z | s_t) ∝ π_sft(z | s_t) · exp(Q*(s_t, z) / α), with Q*(s_t, z) the expected target reward when
// the *aligned* policy continues from [s_t, z]. Q* is estimated with rollouts of a baseline model ρ_BL
// that is already aligned (e.g. by DPO). Every step:
//   1. candidates: the top-k tokens of π_sft(· | s_t);
//   2. for each candidate z, n rollouts τ_1…τ_n of up to L tokens from ρ_BL(· | s_t, z) (greedy for
//      n = 1, else sampled), all k·n rows in one batch;
//   3. Q̂(s_t, z):
//      - direct transfer (ρ_BL aligned to the target reward r): Q̂ = (1/n) Σ_i r(x, [s_t, z, τ_i]);
//      - indirect transfer (ρ_BL aligned to a different reward r_BL, taken as DPO's implicit reward
//        r_BL = β log ρ_BL/π_sft): ρ* ∝ ρ_BL · exp(r/α − r_BL/β), so Q̂ = Σ_i w_i r_i with
//        self-normalised importance weights w_i ∝ exp(r_i/α − (log ρ_BL(τ_i) − log π_sft(τ_i)))
//        (β cancels; with n = 1 the single weight is 1 and Q̂ = r, as in direct transfer);
//   4. score(z) = log π_sft(z | s_t) + Q̂(s_t, z) / α; take the argmax (or sample from softmax(score)).
// The chosen token is appended to both models' states. decoding.md marks the mechanics [M/S] (no
// code was released): the formulas above are the ones it states; the defaults k = 10, α = 1, n = 1,
// L = max_new_tokens (roll out to the end) are this toolkit's choices — decoding.md gives none for α.

import Foundation

/// Options of Transfer Q*.
public struct TransferQStarConfig: Equatable, Sendable {
    /// How Q* is estimated from the baseline's rollouts.
    public enum Transfer: Equatable, Sendable {
        /// ρ_BL is aligned to the target reward: Q̂ = mean reward of its rollouts.
        case direct
        /// ρ_BL is aligned to another reward by DPO: importance-weighted rollouts. (β cancels:
        /// r_BL/β = log ρ_BL/π_sft whatever β the baseline was trained with.)
        case indirect
    }

    /// Candidate tokens per step (k).
    public var topK = 10
    /// Deviation parameter α: larger stays closer to π_sft.
    public var alpha = 1.0
    /// Rollouts per candidate (n).
    public var rolloutsPerCandidate = 1
    /// Rollout length L in tokens (nil: until EOS or max_new_tokens).
    public var rolloutLength: Int?
    /// Direct or indirect transfer.
    public var transfer = Transfer.direct
    /// Argmax or sampled token selection.
    public var selection = TokenwiseGuidanceConfig.Selection.greedy

    /// Defaults: k = 10, α = 1, n = 1, full-length rollouts, direct transfer, greedy selection.
    public init(topK: Int = 10, alpha: Double = 1, rolloutsPerCandidate: Int = 1, rolloutLength: Int? = nil,
                transfer: Transfer = .direct, selection: TokenwiseGuidanceConfig.Selection = .greedy) {
        self.topK = topK
        self.alpha = alpha
        self.rolloutsPerCandidate = rolloutsPerCandidate
        self.rolloutLength = rolloutLength
        self.transfer = transfer
        self.selection = selection
    }

    /// - Throws: `invalidParameter` naming the first bad field.
    public func validate() throws {
        func bad(_ name: String, _ value: Any, _ expected: String) -> AlignDecodingError {
            .invalidParameter(parameter: name, value: "\(value)", expected: expected)
        }
        guard topK >= 1 else { throw bad("top_k", topK, "an integer >= 1") }
        guard alpha > 0, alpha.isFinite else { throw bad("alpha", alpha, "a finite value > 0") }
        guard rolloutsPerCandidate >= 1 else { throw bad("rollouts", rolloutsPerCandidate, "an integer >= 1") }
        if let l = rolloutLength, l < 0 { throw bad("rollout_length", l, "an integer >= 0") }
    }
}

/// Transfer Q* decoding with a baseline aligned model.
public enum TransferQStar {
    /// The Philox stream of sampled token selection (rollouts use streams 0, 1, … upward).
    static let selectionStream = UInt64.max

    /// Decodes `prompt` with π_sft = `model`, estimating Q* by rollouts of `baseline`.
    ///
    /// - Parameters:
    ///   - baseline: ρ_BL, sharing the model's vocabulary.
    ///   - parameters: `max_new_tokens`, `eos_token_id`, `pad_token_id` and `seed` are used.
    ///   - reward: the target reward r(x, y).
    /// - Throws: `invalidParameter` for a bad config or mismatched vocabularies; model and reward errors.
    public static func run<Model: CausalLM, Baseline: CausalLM>(
        model: Model, baseline: Baseline, prompt: [Int32], promptText: String, parameters: GenerateParameters,
        decoder: any TokenBytes, reward: any Reward, config: TransferQStarConfig = .init()) throws -> SearchResult {
        try config.validate()
        try parameters.validate()
        guard baseline.vocabularySize == model.vocabularySize else {
            throw AlignDecodingError.invalidParameter(parameter: "baseline", value: "\(baseline.vocabularySize) logits",
                                                      expected: "the model's \(model.vocabularySize) logits per row")
        }
        let limits = SearchLimits(parameters)
        var sft = try SearchRows.start(model: model, prompt: prompt)
        var base = try SearchRows.start(model: baseline, prompt: prompt)
        var stats = SearchStats()
        var logProb = 0.0
        while !sft.finished[0] && sft.generated[0].count < limits.maxNewTokens {
            let candidates = try score(sft: sft, baseline: base, promptText: promptText, decoder: decoder, reward: reward,
                                       config: config, seed: parameters.seed, limits: limits, stats: &stats)
            let chosen = config.selection == .greedy ? SearchMath.argmax(candidates.map(\.score))
                : SearchMath.sample(candidates.map(\.score),
                                    u: PhiloxRandom(seed: parameters.seed, stream: selectionStream)
                                        .uniform(position: UInt64(stats.steps)))
            logProb += candidates[chosen].logProb
            stats.steps += 1
            try sft.append([candidates[chosen].token], limits: limits)
            try base.append([candidates[chosen].token], limits: limits)
        }
        return try SearchResult.finish(tokens: sft.generated[0], logProb: logProb, stats: stats, promptText: promptText,
                                       decoder: decoder, reward: reward, limits: limits)
    }

    /// The top-k candidates of π_sft with Q̂ from the baseline's rollouts; `GuidedCandidate.reward`
    /// holds Q̂ and `score` = log π_sft + Q̂/α.
    static func score<Model, Baseline>(sft: SearchRows<Model>, baseline: SearchRows<Baseline>, promptText: String,
                                       decoder: any TokenBytes, reward: any Reward, config: TransferQStarConfig,
                                       seed: UInt64, limits: SearchLimits, stats: inout SearchStats) throws -> [GuidedCandidate] {
        let top = SearchMath.topK(SearchMath.logSoftmax(sft.logitsRow(0)), config.topK)
        guard !top.isEmpty else { throw AlignDecodingError.noSampleableToken(row: 0) }
        let n = config.rolloutsPerCandidate
        let tokens = top.flatMap { Array(repeating: Int32($0.index), count: n) }  // row c·n + i: candidate c, rollout i
        var rolls = try baseline.expanded(parents: Array(repeating: 0, count: tokens.count), tokens: tokens, limits: limits)
        let policy: SearchRows<Baseline>.RolloutPolicy = n == 1 ? .greedy
            : .sample(seed: seed, streamBase: UInt64(stats.steps * tokens.count), positionBase: 0, temperature: 1)
        let out = try rolls.extend(length: config.rolloutLength ?? limits.maxNewTokens, policy: policy, limits: limits,
                                   feedLast: false)
        let texts = rolls.generated.map { SearchMath.text($0, decoder: decoder, eos: limits.eosTokenIds) }
        let rewards = try rewardScores(reward, prompt: promptText, completions: texts)
        var logRatio = [Double](repeating: 0, count: tokens.count)  // log ρ_BL(τ) − log π_sft(τ)
        if case .indirect = config.transfer {
            var forced = try sft.expanded(parents: Array(repeating: 0, count: tokens.count), tokens: tokens, limits: limits)
            let sftLogProbs = try forced.teacherForcedLogProbs(out.continuations, limits: limits)
            logRatio = zip(out.logProbs, sftLogProbs).map { $0 - $1 }
        }
        stats.candidatesScored += top.count
        stats.rewardCalls += tokens.count
        stats.rolloutTokens += out.continuations.reduce(0) { $0 + $1.count }
        return top.enumerated().map { c, cand in
            let slice = (c * n)..<((c + 1) * n)
            let q = qEstimate(rewards: Array(rewards[slice]), logRatios: Array(logRatio[slice]), config: config)
            return GuidedCandidate(token: Int32(cand.index), logProb: cand.value, reward: q, score: cand.value + q / config.alpha)
        }
    }

    /// Q̂ from one candidate's rollouts: the mean reward (direct) or the self-normalised importance-weighted
    /// mean with log w_i = r_i/α − log(ρ_BL(τ_i)/π_sft(τ_i)) (indirect; max-subtracted before exp).
    static func qEstimate(rewards: [Double], logRatios: [Double], config: TransferQStarConfig) -> Double {
        switch config.transfer {
        case .direct:
            return rewards.reduce(0, +) / Double(rewards.count)
        case .indirect:
            let logW = zip(rewards, logRatios).map { $0 / config.alpha - $1 }
            let m = logW.max() ?? 0
            let w = logW.map { exp($0 - m) }
            return zip(w, rewards).reduce(0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)
        }
    }
}
