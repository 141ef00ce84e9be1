// ARGS, DeAL and Transfer Q* on the shared tiny Llama against Tests/Fixtures/decoding/tiny_llama_search.json
// (scripts/fixtures/decoding_search_fixture.py): the same searches run in Python on transformers' forward —
// ARGS as deeplearning-wisc/args' argsearch.py selects (logit + w·reward), DeAL and TQ* from their papers —
// must choose the same tokens; per step, ARGS' candidate ids, log-probabilities (logit − logsumexp) and
// rewards, and TQ*'s rollout values Q̂, must match.
import Foundation
import Testing
@testable import AlignDecoding
import AlignTestSupport

struct SearchFixture: Decodable {
    struct ArgsStep: Decodable {
        let ids: [Int32]
        let logits: [Double]
        let logsumexp: Double
        let rewards: [Double]
        let chosen: Int32
    }
    struct Args: Decodable {
        let top_k: Int
        let weight: Double
        let max_new_tokens: Int
        let tokens: [Int32]
        let steps: [ArgsStep]
    }
    struct Deal: Decodable {
        let top_k: Int
        let beam_width: Int
        let lookahead: Int
        let lambda: Double
        let max_new_tokens: Int
        let steps: Int
        let tokens: [Int32]
        let logprob: Double
    }
    struct TQ: Decodable {
        let top_k: Int
        let alpha: Double
        let max_new_tokens: Int
        let tokens: [Int32]
        let q: [[Double]]
    }
    let prompt: [Int32]
    let keywords: [String]
    let args: [Args]
    let deal: [Deal]
    let tq: [TQ]

    static let loaded: SearchFixture? = try? FixturePaths.loadJSON(SearchFixture.self, "decoding/tiny_llama_search.json")
}

@Suite("Search parity with the Python searches on transformers")
struct SearchParityTests {
    @Test("ARGS-greedy: same tokens; per step the same top-k, log-probs and rewards", arguments: 0..<2)
    func args(index: Int) throws {
        let model = try #require(TinyLlama.model)
        let tok = try #require(TinyLlamaSearch.tokenizer)
        let f = try #require(SearchFixture.loaded)
        let c = f.args[index]
        let reward = try KeywordReward(keywords: f.keywords)
        let config = TokenwiseGuidanceConfig(topK: c.top_k, weight: c.weight)
        let p = TinyLlama.greedy(c.max_new_tokens)
        let r = try TokenwiseGuidance.run(model: model, prompt: f.prompt, promptText: "", parameters: p, decoder: tok,
                                          reward: reward, config: config)
        #expect(r.tokens == c.tokens)
        // Teacher-forced along the fixture's tokens, step by step.
        let limits = SearchLimits(p)
        var rows = try SearchRows.start(model: model, prompt: f.prompt)
        for (i, step) in c.steps.enumerated() {
            let got = try TokenwiseGuidance.score(rows: rows, promptText: "", decoder: tok, reward: reward, config: config,
                                                  limits: limits)
            #expect(got.map(\.token) == step.ids, "step \(i) candidates")
            #expect(got.map(\.reward) == step.rewards, "step \(i) rewards")
            let err = zip(got.map(\.logProb), zip(step.logits, Array(repeating: step.logsumexp, count: step.logits.count)))
                .map { abs($0 - ($1.0 - $1.1)) }.max() ?? 0
            #expect(err < 1e-4, "step \(i): max |Δ log p| \(err)")
            try rows.append([step.chosen], limits: limits)
        }
    }

    @Test("DeAL: same answer, log-probability and number of steps")
    func deal() throws {
        let model = try #require(TinyLlama.model)
        let tok = try #require(TinyLlamaSearch.tokenizer)
        let f = try #require(SearchFixture.loaded)
        let c = f.deal[0]
        let config = DeALConfig(topK: c.top_k, beamWidth: c.beam_width, lookahead: c.lookahead, lambda: c.lambda)
        let r = try DeAL.run(model: model, prompt: f.prompt, promptText: "", parameters: TinyLlama.greedy(c.max_new_tokens),
                             decoder: tok, heuristic: try KeywordReward(keywords: f.keywords), config: config)
        #expect(r.tokens == c.tokens)
        #expect(abs(r.logProb - c.logprob) < 1e-3, "\(r.logProb) vs \(c.logprob)")
        #expect(r.stats.steps == c.steps)
    }

    @Test("Transfer Q* (direct, model as its own baseline): same tokens and rollout values per step")
    func transferQ() throws {
        let model = try #require(TinyLlama.model)
        let tok = try #require(TinyLlamaSearch.tokenizer)
        let f = try #require(SearchFixture.loaded)
        let c = f.tq[0]
        let reward = try KeywordReward(keywords: f.keywords)
        let config = TransferQStarConfig(topK: c.top_k, alpha: c.alpha)
        let p = TinyLlama.greedy(c.max_new_tokens)
        let r = try TransferQStar.run(model: model, baseline: model, prompt: f.prompt, promptText: "", parameters: p,
                                      decoder: tok, reward: reward, config: config)
        #expect(r.tokens == c.tokens)
        let limits = SearchLimits(p)
        var rows = try SearchRows.start(model: model, prompt: f.prompt)
        var stats = SearchStats()
        for (i, q) in c.q.enumerated() {
            let got = try TransferQStar.score(sft: rows, baseline: rows, promptText: "", decoder: tok, reward: reward,
                                              config: config, seed: 0, limits: limits, stats: &stats)
            #expect(got.map(\.reward) == q, "step \(i) Q̂")
            try rows.append([c.tokens[i]], limits: limits)
        }
    }
}
