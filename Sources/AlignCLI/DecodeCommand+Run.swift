// DecodeCommand+Run: one prompt through the chosen strategy — the options become the method's config
// struct (unset options keep the library defaults) and the library's result becomes a `DecodeResult`.
import ArgumentParser
import Foundation
import AlignDecoding
import AlignModels
import AlignTokenizers

/// What every prompt of a run shares.
struct DecodeContext {
    let model: DecoderModel
    let tokenizer: Tokenizer
    let template: ChatTemplate?
    let parameters: GenerateParameters
    let reward: (any Reward)?
    let baseline: DecoderModel?

    /// Prompt ids: the text (or its chat rendering) through the tokenizer, as `align generate` encodes.
    func encode(_ text: String) throws -> [Int32] {
        var input = text
        if let template {
            input = try template.render(messages: [.object([("role", .string("user")), ("content", .string(text))])],
                                        addGenerationPrompt: true)
        }
        let ids = tokenizer.encode(input, addSpecialTokens: template == nil).ids.map { Int32($0) }
        guard !ids.isEmpty else { throw ValidationError("prompt \(jsonQuoted(text)) encodes to no tokens") }
        return ids
    }
}

/// One prompt's output.
struct DecodeResult {
    let prompt: String
    let completion: String
    let tokenIDs: [Int32]
    let finishReason: FinishReason
    var reward: Double?
    var answer: String?
    var votes: [AnswerVote] = []

    init(prompt: String, search r: SearchResult) {
        self.init(prompt: prompt, completion: r.text, tokenIDs: r.tokens, finishReason: r.finishReason, reward: r.reward)
    }

    init(prompt: String, completion: String, tokenIDs: [Int32], finishReason: FinishReason, reward: Double? = nil) {
        self.prompt = prompt
        self.completion = completion
        self.tokenIDs = tokenIDs
        self.finishReason = finishReason
        self.reward = reward
    }

    /// `{"prompt", "completion", "token_ids", "finish_reason"[, "reward"][, "answer", "votes"]}`.
    var jsonLine: String {
        var s = "{\"prompt\": \(jsonQuoted(prompt)), \"completion\": \(jsonQuoted(completion)), "
        s += "\"token_ids\": [\(tokenIDs.map(String.init).joined(separator: ", "))], "
        s += "\"finish_reason\": \(jsonQuoted(finishReason.rawValue))"
        if let reward { s += ", \"reward\": \(reward.isFinite ? String(reward) : "null")" }
        if let answer { s += ", \"answer\": \(jsonQuoted(answer))" }
        if !votes.isEmpty {
            s += ", \"votes\": {" + votes.map { "\(jsonQuoted($0.answer)): \($0.count)" }.joined(separator: ", ") + "}"
        }
        return s + "}"
    }
}

extension DecodeCommand {
    /// Runs `text` through the strategy.
    func decode(_ text: String, context c: DecodeContext) throws -> DecodeResult {
        let ids = try c.encode(text)
        let p = c.parameters
        switch strategy {
        case .selfConsistency: return try selfConsistency(text, ids: ids, context: c)
        case .selfAgreement: return try selfAgreement(text, ids: ids, context: c)
        default: break
        }
        guard let reward = c.reward, let method = SearchMethod(rawValue: strategy.rawValue) else {
            throw ValidationError("--strategy \(strategy.rawValue) needs --reward")
        }
        let r = try search.run(method, model: c.model, baseline: c.baseline, prompt: ids, text: text, parameters: p,
                               tokenizer: c.tokenizer, reward: reward, temperature: temperature)
        return DecodeResult(prompt: text, search: r)
    }

    func selfConsistency(_ text: String, ids: [Int32], context c: DecodeContext) throws -> DecodeResult {
        let extractor = try answerRegex.map { try AnswerExtractor.regex($0) } ?? .lastNumber
        let r = try SelfConsistency.run(model: c.model, prompt: ids, samples: search.samples ?? 8, parameters: c.parameters,
                                        decoder: c.tokenizer, extractor: extractor)
        let row = r.samples[r.chosenIndex ?? 0]
        var out = DecodeResult(prompt: text, completion: row.text, tokenIDs: row.tokens,
                               finishReason: row.finishReason ?? .length,
                               reward: try c.reward?.score(prompt: text, completion: row.text))
        out.answer = r.answer
        out.votes = r.votes
        return out
    }

    func selfAgreement(_ text: String, ids: [Int32], context c: DecodeContext) throws -> DecodeResult {
        let r = try SelfAgreement.run(model: c.model, prompt: ids, question: text, samples: search.samples ?? 8,
                                      parameters: c.parameters, decoder: c.tokenizer, selectionTokens: selectionTokens,
                                      encode: c.encode)
        return DecodeResult(prompt: text, completion: r.selection.text, tokenIDs: r.selection.tokens,
                            finishReason: r.selection.finishReason ?? .length,
                            reward: try c.reward?.score(prompt: text, completion: r.selection.text))
    }
}
