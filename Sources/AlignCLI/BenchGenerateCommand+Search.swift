// BenchGenerateCommand+Search: the best-of-N and DeAL records of `align bench generate`
// (Bench/SearchBench.swift has the timing and what each number counts).
import AlignModels
import AlignTensor
import AlignTokenizers
import Foundation

extension BenchGenerateCommand {
    /// Best-of-N (beside transformers) and DeAL (ours only) records of one model, as --cases asks.
    func measureSearch(_ name: String, _ model: DecoderModel) throws -> [BenchRecord] {
        guard cases.contains("best-of") || cases.contains("deal") else { return [] }
        let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: tinyLlama).appendingPathComponent("tokenizer.json"))
        var records: [BenchRecord] = []
        if cases.contains("best-of") {
            let ours = try SearchBench.bestOf(model, n: bestOf, promptLength: searchPromptLength, newTokens: searchNewTokens,
                                              runs: runs, tokenizer: tokenizer)
            let peer = SearchBench.bestOfPeer(python: python, script: peerScript, model: name, tinyDir: tinyLlama,
                                              threads: Parallel.threads, n: bestOf, promptLength: searchPromptLength,
                                              newTokens: searchNewTokens, runs: runs)
            let what = "\(label(name)) best-of-\(bestOf) P=\(searchPromptLength) N=\(searchNewTokens)"
            let peerName = peer.map { "transformers \($0.version)" }
            let n = Double(bestOf), tokens = Double(bestOf * searchNewTokens)
            records += [
                BenchRecord(bench: "generate", case: what, unit: "completions/s", alignkit: n / ours, peer: peerName,
                            peerValue: peer.map { n / $0.seconds }),
                BenchRecord(bench: "generate", case: what, unit: "tokens/s", alignkit: tokens / ours, peer: peerName,
                            peerValue: peer.map { tokens / $0.seconds }),
            ]
        }
        if cases.contains("deal") {
            let r = try SearchBench.deal(model, promptLength: searchPromptLength, newTokens: searchNewTokens, runs: runs,
                                         tokenizer: tokenizer)
            let what = "\(label(name)) DeAL k=5 b=2 l=8 P=\(searchPromptLength) N=\(searchNewTokens)"
            records += [
                BenchRecord(bench: "generate", case: what + " answer", unit: "tokens/s", alignkit: Double(r.answerTokens) / r.seconds),
                BenchRecord(bench: "generate", case: what + " model", unit: "tokens/s", alignkit: Double(r.modelTokens) / r.seconds),
            ]
        }
        return records
    }
}
