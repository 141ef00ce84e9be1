// ASAp on a real model: the shared tiny Llama (random weights, 32k byte-level BPE vocabulary) through
// `CausalLMNextTokenSource`, with a small regex. Every sample must be a sentence of the regex ending in
// EOS, and the source's rolled-back KV cache must give the same distributions as a fresh prefill.
import AlignGrammar
import Foundation
import Testing
@testable import AlignDecoding
import AlignModels

@Suite("Grammar-aligned sampling on the tiny Llama")
struct GrammarAlignedTinyLlamaTests {
    @Test("every ASAp sample from the tiny Llama matches (cat|dog)s? and ends with EOS")
    func samplesMatch() throws {
        let model = try #require(TinyLlama.model)
        let tokenizer = try #require(TinyLlamaSearch.tokenizer)
        let vocabulary = try GrammarProcessor.vocabulary(tokenizer: tokenizer, logitDimension: model.vocabularySize, eosTokenIds: [2])
        let source = try CausalLMNextTokenSource(model: model, prompt: TinyLlamaSearch.prompt)
        var sampler = try GrammarAlignedSampler(source: source, grammar: CompiledGrammar(RegexGrammar.compile("(cat|dog)s?")),
                                                vocabulary: vocabulary, configuration: .init(maxTokens: 8, seed: 5))
        var texts: [String] = []
        for _ in 0 ..< 6 {
            let s = try sampler.sample()
            #expect(s.endToken == 2)
            #expect(s.logProbability < 0 && s.logProbability.isFinite)
            texts.append(String(decoding: s.tokens.flatMap { tokenizer.bytes(of: $0) }, as: UTF8.self))
        }
        print("ASAp tiny Llama samples: \(texts), θ̃(ε) = \(sampler.trie.estimate([]))")
        #expect(texts.allSatisfy { ["cat", "cats", "dog", "dogs"].contains($0) })
        // The estimate of P(grammatical) is a probability that only shrinks from the optimistic start.
        let root = sampler.trie.estimate([])
        #expect(root > 0 && root < 1)
    }

    @Test("the source's rolled-back cache gives a fresh prefill's distributions")
    func cacheReuse() throws {
        let model = try #require(TinyLlama.model)
        var walker = try CausalLMNextTokenSource(model: model, prompt: TinyLlamaSearch.prompt, temperature: 0.7)
        let prefixes: [[Int32]] = [[100, 200, 300], [100, 250], [], [100, 250, 7], [100], [9]]
        for prefix in prefixes {
            let got = try walker.logProbabilities(after: prefix)
            var fresh = try CausalLMNextTokenSource(model: model, prompt: TinyLlamaSearch.prompt + prefix, temperature: 0.7)
            let want = try fresh.logProbabilities(after: [])
            #expect(got.count == model.vocabularySize)
            let worst = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-4, "prefix \(prefix): max |Δ log p| = \(worst)")
            #expect(abs(got.reduce(0) { $0 + exp($1) } - 1) < 1e-9)
        }
    }
}
