// SearchRows: the batched engine under the reward-guided search methods (ARGS / controlled decoding,
// DeAL, Transfer Q*). A batch of partial completions of one prompt — each row's generated ids, its
// finish flag and its next-token logits — over a `CausalLM` cache. The operations are the three the
// methods of decoding.md §7.7 are built from:
//   - `expanded(parents:tokens:)` — candidate expansion: row i is parent row `parents[i]` extended by
//     `tokens[i]`, all candidates run through the model in one batched step (`selectRows` + `step`);
//   - `rollout(length:…)` — lookahead: extend every row by up to L tokens (greedy or sampled) in
//     batched steps, return the continuations, then roll the cache back (`CausalLM.rollback`) and
//     restore the logits, so the rows are unchanged afterwards;
//   - `teacherForcedLogProbs(_:)` — Σ log p of given continuations (Transfer Q*'s importance weights).
// Rows that generated an EOS id are finished: they keep receiving the pad id (as in the generation
// loop) so all rows share one cache length, and their log-probabilities are not counted.
// Processors (penalties, warpers, grammar masks) are not applied here: the methods define their
// candidate sets on the model's own distribution π_ref, as the papers do.

import Foundation

/// A batch of partial completions of one prompt.
struct SearchRows<Model: CausalLM> {
    let model: Model
    var cache: Model.Cache
    /// Generated ids per row (EOS included when the row finished on it).
    var generated: [[Int32]]
    var finished: [Bool]
    /// Next-token logits, `[B, V]`; stale for finished rows.
    var logits: [Float]

    var count: Int { generated.count }
    var vocabularySize: Int { model.vocabularySize }

    /// One row: the prompt after prefill.
    static func start(model: Model, prompt: [Int32]) throws -> SearchRows {
        let (logits, cache) = try model.prefill([prompt])
        let flat = try TokenGenerator<Model>.rows(of: logits, batch: 1, vocabularySize: model.vocabularySize)
        return SearchRows(model: model, cache: cache, generated: [[]], finished: [false], logits: flat)
    }

    /// The logits of row `b`, `[V]`.
    func logitsRow(_ b: Int) -> ArraySlice<Float> {
        logits[(b * vocabularySize)..<((b + 1) * vocabularySize)]
    }

    /// Row i = row `parents[i]` + `tokens[i]`, one batched model step for all rows.
    func expanded(parents: [Int], tokens: [Int32], limits: SearchLimits) throws -> SearchRows {
        precondition(parents.count == tokens.count && !parents.isEmpty, "one token per parent row")
        var next = SearchRows(model: model, cache: try model.selectRows(cache, rows: parents),
                              generated: parents.map { generated[$0] }, finished: parents.map { finished[$0] },
                              logits: [])
        try next.append(tokens, limits: limits)
        return next
    }

    /// Appends `tokens[b]` to every unfinished row (finished rows get the pad id) and steps the model.
    mutating func append(_ tokens: [Int32], limits: SearchLimits) throws {
        var fed = tokens
        for b in 0..<count {
            if finished[b] {
                fed[b] = limits.padTokenId
                continue
            }
            generated[b].append(tokens[b])
            if limits.eosTokenIds.contains(tokens[b]) || generated[b].count >= limits.maxNewTokens { finished[b] = true }
        }
        let out = try model.step(fed, cache: &cache)
        logits = try TokenGenerator<Model>.rows(of: out, batch: count, vocabularySize: vocabularySize)
    }

    /// How a rollout picks its tokens.
    enum RolloutPolicy {
        /// The argmax of the model's logits.
        case greedy
        /// A draw from softmax(logits / temperature); row b uses Philox stream `streamBase + b`,
        /// draw i at position `positionBase + i`.
        case sample(seed: UInt64, streamBase: UInt64, positionBase: UInt64, temperature: Float)
    }

    /// Extends every unfinished row by up to `length` tokens (stopping at EOS or the token limit)
    /// and returns each row's continuation and its log-probability under this model, Σ log p(τ_i).
    /// The rows are left as they were: the cache is rolled back and the logits restored.
    mutating func rollout(length: Int, policy: RolloutPolicy, limits: SearchLimits) throws
        -> (continuations: [[Int32]], logProbs: [Double]) {
        let saved = (generated, finished, logits)
        let result = try extend(length: length, policy: policy, limits: limits, feedLast: false)
        try model.rollback(&cache, count: result.fed)
        (generated, finished, logits) = saved
        return (result.continuations, result.logProbs)
    }

    /// Extends every unfinished row by up to `length` tokens and keeps them. With `feedLast` false
    /// the last token is not run through the model (a rollout needs no logits after it), so the rows'
    /// logits are stale; `fed` is the number of model steps taken (what `rollout` rolls back).
    mutating func extend(length: Int, policy: RolloutPolicy, limits: SearchLimits, feedLast: Bool = true) throws
        -> (continuations: [[Int32]], logProbs: [Double], fed: Int) {
        var continuations = [[Int32]](repeating: [], count: count)
        var logProbs = [Double](repeating: 0, count: count)
        var fed = 0
        for i in 0..<length where finished.contains(false) {
            var tokens = [Int32](repeating: limits.padTokenId, count: count)
            for b in 0..<count where !finished[b] {
                let row = Array(logitsRow(b))
                tokens[b] = try Self.pick(row, policy: policy, row: b, step: i)
                logProbs[b] += SearchMath.logProb(row, at: Int(tokens[b]))
                continuations[b].append(tokens[b])
            }
            if i == length - 1 && !feedLast {
                for b in 0..<count where !finished[b] { generated[b].append(tokens[b]) }
                break
            }
            try append(tokens, limits: limits)
            fed += 1
        }
        return (continuations, logProbs, fed)
    }

    /// The rows `rows` of this batch (repeats allowed), without a model step.
    func selected(_ rows: [Int]) throws -> SearchRows {
        var flat: [Float] = []
        flat.reserveCapacity(rows.count * vocabularySize)
        for r in rows { flat += logitsRow(r) }
        return SearchRows(model: model, cache: try model.selectRows(cache, rows: rows),
                          generated: rows.map { generated[$0] }, finished: rows.map { finished[$0] }, logits: flat)
    }

    /// Σ_t log p(continuation_t | row, continuation_<t) per row; EOS ends the sum. Consumes the rows.
    mutating func teacherForcedLogProbs(_ continuations: [[Int32]], limits: SearchLimits) throws -> [Double] {
        precondition(continuations.count == count, "one continuation per row")
        var sums = [Double](repeating: 0, count: count)
        let longest = continuations.map(\.count).max() ?? 0
        for t in 0..<longest {
            var tokens = [Int32](repeating: limits.padTokenId, count: count)
            for b in 0..<count where !finished[b] && t < continuations[b].count {
                tokens[b] = continuations[b][t]
                sums[b] += SearchMath.logProb(logitsRow(b), at: Int(tokens[b]))
            }
            if t == longest - 1 { break }
            for b in 0..<count where t >= continuations[b].count { finished[b] = true }
            try append(tokens, limits: limits)
        }
        return sums
    }

    /// The token a rollout takes at step `step` of row `row`.
    static func pick(_ logits: [Float], policy: RolloutPolicy, row: Int, step: Int) throws -> Int32 {
        try logits.withUnsafeBufferPointer { buf in
            switch policy {
            case .greedy:
                return try TokenSampler.argmax(buf, rowIndex: row)
            case let .sample(seed, streamBase, positionBase, temperature):
                let scaled = buf.map { $0 / temperature }
                let u = PhiloxRandom(seed: seed, stream: streamBase + UInt64(row)).uniform(position: positionBase + UInt64(step))
                return try scaled.withUnsafeBufferPointer { try TokenSampler.inverseCDF($0, u: u, rowIndex: row) }
            }
        }
    }
}

/// The stopping rules every search method shares, from `GenerateParameters`.
struct SearchLimits {
    let maxNewTokens: Int
    let eosTokenIds: Set<Int32>
    let padTokenId: Int32

    init(_ p: GenerateParameters) {
        maxNewTokens = p.maxNewTokens
        eosTokenIds = Set(p.eosTokenIds)
        padTokenId = p.effectivePadTokenId
    }
}
