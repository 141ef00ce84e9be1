// The search methods on the shared tiny Llama (random weights, so its samples are near-uniform over
// 32k byte-level BPE tokens) with a programmatic reward — keyword coverage of four rare letters — each
// must beat the mean reward of plain sampling over the same seeds (the samples a best-of-N run would
// draw), and the batched rollout must leave the real KV cache exactly as it found it.
import Foundation
import Testing
@testable import AlignDecoding
import AlignModels
import AlignTokenizers
import AlignTestSupport

enum TinyLlamaSearch {
    static let tokenizer: Tokenizer? = try? Tokenizer(
        contentsOf: FixturePaths.shared("models/tiny-llama").appendingPathComponent("tokenizer.json"))
    static let prompt: [Int32] = [533, 19918, 476, 10, 379]  // "def greet(name):\n    " (reference.json)
    static let seeds: [UInt64] = [0, 1, 2, 3]

    static func reward() throws -> KeywordReward { try KeywordReward(keywords: ["x", "z", "q", "j"]) }

    static func parameters(seed: UInt64 = 0) -> GenerateParameters {
        var p = TinyLlama.greedy(8)
        p.doSample = true
        p.topK = 0
        p.seed = seed
        return p
    }

    /// Mean reward of plain samples, one per seed (row 0 of each seed's stream).
    static func plainMean(_ model: DecoderModel, _ tokenizer: Tokenizer) throws -> Double {
        var total = 0.0
        for seed in seeds {
            let row = try TokenGenerator(model: model, prompts: [prompt], parameters: parameters(seed: seed),
                                         decoder: tokenizer).run()[0]
            total += try reward().score(prompt: "", completion: row.text)
        }
        return total / Double(seeds.count)
    }
}

@Suite("Search methods on the tiny Llama")
struct SearchTinyLlamaTests {
    @Test("ARGS, DeAL, Transfer Q* and blockwise CD beat plain sampling's mean keyword reward")
    func beatSampling() throws {
        let model = try #require(TinyLlama.model)
        let tok = try #require(TinyLlamaSearch.tokenizer)
        let p = TinyLlamaSearch.parameters()
        let prompt = TinyLlamaSearch.prompt
        let reward = try TinyLlamaSearch.reward()
        let plain = try TinyLlamaSearch.plainMean(model, tok)
        let args = try TokenwiseGuidance.run(model: model, prompt: prompt, promptText: "", parameters: p, decoder: tok,
                                             reward: reward, config: TokenwiseGuidanceConfig(topK: 10, weight: 5))
        let deal = try DeAL.run(model: model, prompt: prompt, promptText: "", parameters: p, decoder: tok,
                                heuristic: reward, config: DeALConfig(topK: 10, beamWidth: 2, lookahead: 2, lambda: 5))
        let tq = try TransferQStar.run(model: model, baseline: model, prompt: prompt, promptText: "", parameters: p,
                                       decoder: tok, reward: reward, config: TransferQStarConfig(topK: 10, alpha: 0.2))
        var cdTotal = 0.0
        for seed in TinyLlamaSearch.seeds {
            cdTotal += try BlockwiseControlledDecoding.run(
                model: model, prompt: prompt, promptText: "", parameters: TinyLlamaSearch.parameters(seed: seed),
                decoder: tok, value: reward, config: BlockwiseCDConfig(numSamples: 4, blockSize: 2)).reward
        }
        let cd = cdTotal / Double(TinyLlamaSearch.seeds.count)
        print("tiny-llama keyword reward: plain \(plain), ARGS \(args.reward), DeAL \(deal.reward), TQ* \(tq.reward), CD \(cd)")
        #expect(args.reward > plain)
        #expect(deal.reward > plain)
        #expect(tq.reward > plain)
        #expect(cd > plain)
        #expect(args.tokens.count == 8 && args.stats.rewardCalls == 80)
    }

    @Test("a batched rollout on the KV cache is undone exactly (logits after it equal a fresh run)")
    func rollbackOnKVCache() throws {
        let model = try #require(TinyLlama.model)
        let limits = SearchLimits(TinyLlama.greedy(16))
        let start = try SearchRows.start(model: model, prompt: TinyLlamaSearch.prompt)
        var rows = try start.expanded(parents: [0, 0, 0], tokens: [10, 20, 30], limits: limits)
        _ = try rows.rollout(length: 5, policy: .greedy, limits: limits)
        try rows.append([40, 50, 60], limits: limits)
        var fresh = try start.expanded(parents: [0, 0, 0], tokens: [10, 20, 30], limits: limits)
        try fresh.append([40, 50, 60], limits: limits)
        let diff = zip(rows.logits, fresh.logits).map { abs($0 - $1) }.max() ?? 0
        #expect(diff < 1e-5, "max |Δ logits| \(diff)")
    }
}
