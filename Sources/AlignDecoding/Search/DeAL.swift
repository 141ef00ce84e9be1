// DeAL: decoding-time alignment as heuristic-guided search (Huang et al., "DeAL: Decoding-time Alignment
// for Large Language Models", arXiv 2402.06147, §3; decoding.md §7.1). States are token sequences,
// actions append a token. Every step, for each live beam:
//   1. candidate expansion: the top-k next tokens under the model;
//   2. lookahead: each candidate y_{1:t} is rolled out greedily for l more tokens → y_{1:t+l}
//      (all b·k candidates in one batch; the rollout is undone by cache rollback afterwards);
//   3. score c(y_{1:t}) = log P(y_{1:t} | x) + λ · h(x, y_{1:t+l}), with h the alignment heuristic
//      (any `Reward`: keyword coverage, length, a reward model, a weighted sum of several);
//   4. keep the b best candidates (the beam); a candidate ending in EOS or at max_new_tokens is
//      finished — its lookahead is itself — and stays in the pool with its final score.
// The search stops when the b best of the pool are all finished; the answer is the best finished one.
// Defaults: k = 5 and b = 2 and l = 8; the paper's range is top-k/beam ≈ 5–10, l ≈ 32 ([S] per
// decoding.md), shortened here because the default models are tiny; λ = 1 (no published default).

import Foundation

/// Options of DeAL.
public struct DeALConfig: Equatable, Sendable {
    /// Candidate tokens per beam per step (k).
    public var topK = 5
    /// Beams kept per step (b).
    public var beamWidth = 2
    /// Greedy lookahead depth (l); 0 scores the candidate prefix itself.
    public var lookahead = 8
    /// Heuristic weight (λ).
    public var lambda = 1.0

    /// Defaults: k = 5, b = 2, l = 8, λ = 1.
    public init(topK: Int = 5, beamWidth: Int = 2, lookahead: Int = 8, lambda: Double = 1) {
        self.topK = topK
        self.beamWidth = beamWidth
        self.lookahead = lookahead
        self.lambda = lambda
    }

    /// - Throws: `invalidParameter` naming the first bad field.
    public func validate() throws {
        func bad(_ name: String, _ value: Any, _ expected: String) -> AlignDecodingError {
            .invalidParameter(parameter: name, value: "\(value)", expected: expected)
        }
        guard topK >= 1 else { throw bad("top_k", topK, "an integer >= 1") }
        guard beamWidth >= 1 else { throw bad("beam_width", beamWidth, "an integer >= 1") }
        guard lookahead >= 0 else { throw bad("lookahead", lookahead, "an integer >= 0") }
        guard lambda.isFinite else { throw bad("lambda", lambda, "a finite value") }
    }
}

/// A scored hypothesis of the DeAL pool.
struct DeALHypothesis {
    var tokens: [Int32]
    var logProb: Double
    var score: Double
    var finished: Bool
    /// Row in the current candidate batch (unfinished hypotheses only).
    var row: Int
}

/// DeAL search.
public enum DeAL {
    /// Decodes `prompt` with DeAL.
    ///
    /// - Parameters:
    ///   - parameters: `max_new_tokens`, `eos_token_id` and `pad_token_id` are used.
    ///   - heuristic: h(x, y), scored on the lookahead text.
    /// - Throws: `invalidParameter` for a bad config; model and reward errors.
    public static func run<Model: CausalLM>(model: Model, prompt: [Int32], promptText: String,
                                            parameters: GenerateParameters, decoder: any TokenBytes,
                                            heuristic: any Reward, config: DeALConfig = .init()) throws -> SearchResult {
        try config.validate()
        try parameters.validate()
        let limits = SearchLimits(parameters)
        var beams = try SearchRows.start(model: model, prompt: prompt)
        var beamLogProbs = [0.0]
        var done: [DeALHypothesis] = []
        var stats = SearchStats()
        if limits.maxNewTokens == 0 {
            return try SearchResult.finish(tokens: [], logProb: 0, stats: stats, promptText: promptText, decoder: decoder,
                                           reward: heuristic, limits: limits)
        }
        while beams.count > 0 {
            var (candidates, batch) = try expand(beams, logProbs: beamLogProbs, config: config, limits: limits)
            let rollout = try batch.rollout(length: config.lookahead, policy: .greedy, limits: limits)
            let texts = candidates.indices.map {
                SearchMath.text(candidates[$0].tokens + rollout.continuations[$0], decoder: decoder, eos: limits.eosTokenIds)
            }
            let h = try rewardScores(heuristic, prompt: promptText, completions: texts)
            for i in candidates.indices { candidates[i].score = candidates[i].logProb + config.lambda * h[i] }
            stats.steps += 1
            stats.candidatesScored += candidates.count
            stats.rewardCalls += candidates.count
            stats.rolloutTokens += rollout.continuations.reduce(0) { $0 + $1.count }
            let kept = select(pool: done + candidates, width: config.beamWidth)
            done += candidates.filter(\.finished)
            let live = kept.filter { !$0.finished }
            if live.isEmpty { break }
            beams = try batch.selected(live.map(\.row))
            beamLogProbs = live.map(\.logProb)
        }
        let best = select(pool: done, width: 1)
        guard let answer = best.first else { throw AlignDecodingError.noSampleableToken(row: 0) }
        return try SearchResult.finish(tokens: answer.tokens, logProb: answer.logProb, stats: stats, promptText: promptText,
                                       decoder: decoder, reward: heuristic, limits: limits)
    }

    /// The top-k children of every beam, run through the model in one batch (row i = candidate i).
    static func expand<Model>(_ beams: SearchRows<Model>, logProbs: [Double], config: DeALConfig,
                              limits: SearchLimits) throws -> ([DeALHypothesis], SearchRows<Model>) {
        var parents: [Int] = [], tokens: [Int32] = [], lps: [Double] = []
        for b in 0..<beams.count {
            for c in SearchMath.topK(SearchMath.logSoftmax(beams.logitsRow(b)), config.topK) {
                parents.append(b)
                tokens.append(Int32(c.index))
                lps.append(logProbs[b] + c.value)
            }
        }
        guard !parents.isEmpty else { throw AlignDecodingError.noSampleableToken(row: 0) }
        let batch = try beams.expanded(parents: parents, tokens: tokens, limits: limits)
        let hyps = parents.indices.map {
            DeALHypothesis(tokens: batch.generated[$0], logProb: lps[$0], score: 0, finished: batch.finished[$0], row: $0)
        }
        return (hyps, batch)
    }

    /// The `width` highest scores of `pool`, best first (earlier entries win ties: finished ones first).
    static func select(pool: [DeALHypothesis], width: Int) -> [DeALHypothesis] {
        let order = pool.indices.sorted { pool[$0].score > pool[$1].score || (pool[$0].score == pool[$1].score && $0 < $1) }
        return order.prefix(width).map { pool[$0] }
    }
}
