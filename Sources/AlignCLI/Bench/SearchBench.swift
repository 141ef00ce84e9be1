// SearchBench: throughput of decoding-time alignment for `align bench generate` — best-of-N (N sampled
// completions of one prompt, then the reward on each) and DeAL (`align decode --strategy deal`'s
// defaults: top-k 5, beam width 2, greedy lookahead 8, λ 1). Both score a keyword reward (fraction of
// "the", "and", "of" in the decoded text, through the tiny Llama's tokenizer; ids beyond its
// vocabulary decode to nothing, on both sides).
//
// Best-of-N: every completion has exactly N tokens (min = max new tokens, so EOS cannot end one early),
// sampled at temperature 1 with top-k 50 (transformers' GenerationConfig defaults), so
// completions/s = n / seconds and tokens/s = n·N / seconds; the prompt's prefill (n rows, as
// transformers' num_return_sequences expands the input before the forward) is included. The peer is
// transformers' generate(num_return_sequences=n, do_sample=True) plus the same decode and reward
// (scripts/peers/bench_generate.py --mode best-of).
// DeAL: tokens/s = the answer's tokens / seconds (a run ends at max new tokens; the random models
// practically never emit EOS); also the model tokens/s it needs for that (candidates + lookahead
// rollouts). No PyPI package implements DeAL, so there is no peer.
import AlignDecoding
import AlignModels
import AlignTensor
import AlignTokenizers
import ArgumentParser
import Foundation

enum SearchBench {
    static let keywords = ["the", "and", "of"]

    /// One random prompt of `length` ids in 3..<V (the same generator as GenerateBench's prompts).
    static func prompt(vocabularySize v: Int, length: Int) -> [Int32] {
        var g = RandomGenerator(seed: 1)
        return (0 ..< length).map { _ in Int32(3 + Int(g.nextUniform() * Float(v - 3)) % (v - 3)) }
    }

    /// Median seconds of one best-of-`n` call (`newTokens` tokens each, sampled, rewards included).
    static func bestOf(_ model: DecoderModel, n: Int, promptLength: Int, newTokens: Int, runs: Int,
                       tokenizer: Tokenizer) throws -> Double {
        let prompt = prompt(vocabularySize: model.spec.vocabSize, length: promptLength)
        var p = GenerateParameters()
        p.maxNewTokens = newTokens
        p.minNewTokens = newTokens
        p.doSample = true
        p.temperature = 1
        p.topK = 50
        p.eosTokenIds = [2]
        p.padTokenId = 0
        let reward = try KeywordReward(keywords: keywords, mode: .include)
        var failure: Error?
        var seed: UInt64 = 0
        let seconds = Stopwatch.median(minRuns: runs, minSeconds: 0) {
            seed += 1
            p.seed = seed
            do {
                _ = try BestOfN.run(model: model, prompt: prompt, promptText: "", n: n, parameters: p, decoder: tokenizer,
                                    reward: reward)
            } catch { failure = error }
        }
        if let failure { throw failure }
        return seconds
    }

    /// Median seconds of one DeAL decode of up to `newTokens` tokens, and the answer and model token counts.
    static func deal(_ model: DecoderModel, promptLength: Int, newTokens: Int, runs: Int,
                     tokenizer: Tokenizer) throws -> (seconds: Double, answerTokens: Int, modelTokens: Int) {
        let prompt = prompt(vocabularySize: model.spec.vocabSize, length: promptLength)
        var p = GenerateParameters()
        p.maxNewTokens = newTokens
        p.eosTokenIds = [2]
        p.padTokenId = 0
        let reward = try KeywordReward(keywords: keywords, mode: .include)
        var failure: Error?
        var last: SearchResult?
        let seconds = Stopwatch.median(minRuns: runs, minSeconds: 0) {
            do {
                last = try DeAL.run(model: model, prompt: prompt, promptText: "", parameters: p, decoder: tokenizer,
                                    heuristic: reward, config: DeALConfig())
            } catch { failure = error }
        }
        if let failure { throw failure }
        guard let r = last else { throw ValidationError("DeAL benchmark ran no decode") }
        return (seconds, r.tokens.count, r.stats.candidatesScored + r.stats.rolloutTokens)
    }

    /// Runs the transformers best-of-n peer; nil (with a note on stderr) when it cannot run.
    static func bestOfPeer(python: String, script: String, model: String, tinyDir: String, threads: Int, n: Int,
                           promptLength: Int, newTokens: Int, runs: Int) -> (seconds: Double, version: String)? {
        let args = ["--mode", "best-of", "--model", model, "--tiny-dir", tinyDir, "--threads", "\(threads)",
                    "--batch", "\(n)", "--prompt-len", "\(promptLength)", "--new-tokens", "\(newTokens)", "--runs", "\(runs)"]
        guard let obj = PythonPeer.run(python: python, script: script, arguments: args, threads: threads),
              let seconds = obj["best_of_s"] as? Double else { return nil }
        return (seconds, obj["transformers"] as? String ?? "?")
    }
}
