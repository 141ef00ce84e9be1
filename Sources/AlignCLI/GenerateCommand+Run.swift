// GenerateCommand+Run: one prompt through the chosen method — the token loop (streamed through the
// incremental detokenizer), beam search, best-of-N, or a reward-guided search — and the options merged into
// GenerateParameters over the model's generation_config.json, as transformers merges generate(**kwargs)
// over model.generation_config.
import ArgumentParser
import Foundation
import AlignDecoding
import AlignModels
import AlignTokenizers

/// A prompt as text and as ids.
struct GenerationRequest {
    let text: String
    let ids: [Int32]
}

extension GenerateCommand {
    /// generation_config.json (if present) overridden by the command-line options.
    func parameters(directory: URL) throws -> GenerateParameters {
        let config = directory.appendingPathComponent("generation_config.json")
        var p = FileManager.default.fileExists(atPath: config.path) ? try GenerateParameters(contentsOf: config)
                                                                    : GenerateParameters()
        if let maxNewTokens { p.maxNewTokens = maxNewTokens }
        if let temperature {
            p.doSample = temperature > 0
            if temperature > 0 { p.temperature = temperature }
        }
        if let topK { p.topK = topK; p.doSample = true }
        if let topP { p.topP = topP; p.doSample = true }
        if let minP { p.minP = minP; p.doSample = true }
        if let repetitionPenalty { p.repetitionPenalty = repetitionPenalty }
        if let seed { p.seed = seed }
        if let numBeams { p.numBeams = numBeams }
        p.stopStrings = stop
        try p.validate()
        return p
    }

    /// Runs one prompt; streams text deltas through `write` unless --json, --no-stream, beams or best-of.
    func generate(_ request: GenerationRequest, lm: DecoderModel, tokenizer: Tokenizer, parameters p: GenerateParameters,
                  reward: (any Reward)?, grammar: GrammarProcessor? = nil, baseline: DecoderModel? = nil,
                  write: (String) -> Void) throws -> GenerationResult {
        if p.numBeams > 1 {
            let hyps = try BeamSearch.run(model: lm, prompts: [request.ids], parameters: p)[0]
            guard let best = hyps.first else { throw ValidationError("beam search returned no hypothesis") }
            let tokens = best.tokens.filter { !p.eosTokenIds.contains($0) }
            let text = String(decoding: tokens.flatMap { tokenizer.bytes(of: $0) }, as: UTF8.self)
            let finish: FinishReason = best.tokens.last.map { p.eosTokenIds.contains($0) } == true ? .stop : .length
            return GenerationResult(prompt: request.text, completion: text, tokenIDs: best.tokens, finishReason: finish)
        }
        if let bestOf, let reward {
            let r = try BestOfN.run(model: lm, prompt: request.ids, promptText: request.text, n: bestOf, parameters: p,
                                    decoder: tokenizer, reward: reward)
            return GenerationResult(prompt: request.text, completion: r.best.row.text, tokenIDs: r.best.row.tokens,
                                    finishReason: r.best.row.finishReason ?? .length, reward: r.best.reward)
        }
        if let search, let reward {
            let r = try searchOptions.run(search, model: lm, baseline: baseline, prompt: request.ids, text: request.text,
                                          parameters: p, tokenizer: tokenizer, reward: reward, temperature: temperature)
            return GenerationResult(prompt: request.text, completion: r.text, tokenIDs: r.tokens,
                                    finishReason: r.finishReason, reward: r.reward)
        }
        if let n = grammarAligned, let grammar { return try grammarAlignedResult(request, n: n, lm: lm, tokenizer: tokenizer, parameters: p, grammar: grammar, write: write) }
        let extra = grammar.map { [GrammarProcessor(grammar: $0.grammar, vocabulary: $0.vocabulary)] } ?? []
        let gen = try TokenGenerator(model: lm, prompts: [request.ids], parameters: p, decoder: tokenizer, processors: extra)
        let stream = !json && !noStream
        let row = try gen.run { event in if stream { write(event.textDelta) } }[0]
        return GenerationResult(prompt: request.text, completion: row.text, tokenIDs: row.tokens,
                                finishReason: row.finishReason ?? .length)
    }
}

/// One prompt's output, printed as text or as a JSON line.
struct GenerationResult: Equatable {
    let prompt: String
    let completion: String
    let tokenIDs: [Int32]
    let finishReason: FinishReason
    var reward: Double?

    /// `{"prompt", "completion", "token_ids", "finish_reason"[, "reward"]}` in that key order.
    var jsonLine: String {
        var s = "{\"prompt\": \(jsonQuoted(prompt)), \"completion\": \(jsonQuoted(completion)), "
        s += "\"token_ids\": [\(tokenIDs.map(String.init).joined(separator: ", "))], "
        s += "\"finish_reason\": \(jsonQuoted(finishReason.rawValue))"
        if let reward { s += ", \"reward\": \(reward.isFinite ? String(reward) : "null")" }
        return s + "}"
    }

}
