// GenerateSamplerOptions: the rest of transformers' generate keywords as `align generate` options —
// min_new_tokens, typical_p, frequency/presence penalties (OpenAI's), no_repeat_ngram_size,
// bad words (strings tokenized as transformers' `bad_words_ids` recipe does: each word's ids without
// special tokens), logit bias (OpenAI's `logit_bias` token:bias map), length_penalty and
// early_stopping for beam search — and `--adapter DIR`, a PEFT LoRA adapter applied to the model.
import ArgumentParser
import Foundation
import AlignDecoding
import AlignModels
import AlignTokenizers

/// Sampler and processor options beyond the common ones in `GenerateCommand`.
struct GenerateSamplerOptions: ParsableArguments {
    @Option(help: "PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors) applied to --model.")
    var adapter: String?
    @Option(help: "Minimum new tokens before EOS may end the completion.")
    var minNewTokens: Int?
    @Option(help: "Locally typical sampling mass (turns sampling on).")
    var typicalP: Float?
    @Option(help: "OpenAI frequency penalty on generated tokens (0 = off).")
    var frequencyPenalty: Float?
    @Option(help: "OpenAI presence penalty on generated tokens (0 = off).")
    var presencePenalty: Float?
    @Option(help: "Forbid repeating any n-gram of this size.")
    var noRepeatNgramSize: Int?
    @Option(parsing: .upToNextOption, help: "Words never to generate (each tokenized without special tokens).")
    var badWords: [String] = []
    @Option(parsing: .upToNextOption, help: "Logit bias TOKEN_ID:BIAS (added to that token's logit every step).")
    var logitBias: [String] = []
    @Option(help: "Beam search length penalty (score / length^penalty).")
    var lengthPenalty: Float?
    @Option(help: "Beam search stopping: heuristic | true | never (transformers' early_stopping).")
    var earlyStopping: String?

    /// Overrides `p` with the options given; bad words are tokenized with `tokenizer`.
    func apply(to p: inout GenerateParameters, tokenizer: Tokenizer) throws {
        if let minNewTokens { p.minNewTokens = minNewTokens }
        if let typicalP { p.typicalP = typicalP; p.doSample = true }
        if let frequencyPenalty { p.frequencyPenalty = frequencyPenalty }
        if let presencePenalty { p.presencePenalty = presencePenalty }
        if let noRepeatNgramSize { p.noRepeatNgramSize = noRepeatNgramSize }
        if let lengthPenalty { p.lengthPenalty = lengthPenalty }
        if let earlyStopping { p.earlyStopping = try Self.earlyStopping(earlyStopping) }
        for word in badWords {
            let ids = tokenizer.encode(word, addSpecialTokens: false).ids.map { Int32($0) }
            guard !ids.isEmpty else { throw ValidationError("--bad-words \(jsonQuoted(word)) encodes to no tokens") }
            p.badWordsIds.append(ids)
        }
        for entry in logitBias {
            let (id, bias) = try Self.bias(entry)
            p.logitBias[id] = bias
        }
    }

    /// "ID:BIAS" → (id, bias).
    static func bias(_ s: String) throws -> (Int32, Float) {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = Int32(parts[0]), id >= 0, let bias = Float(parts[1]), bias.isFinite else {
            throw ValidationError("--logit-bias \(s): expected TOKEN_ID:BIAS, e.g. 42:-100")
        }
        return (id, bias)
    }

    static func earlyStopping(_ s: String) throws -> EarlyStopping {
        switch s {
        case "heuristic", "false": return .heuristic
        case "true": return .always
        case "never": return .never
        default: throw ValidationError("--early-stopping \(s): expected heuristic, true or never")
        }
    }

    /// Loads the model folder, with the adapter applied (merged into the weights: same outputs, plain speed).
    func loadModel(directory: URL) throws -> DecoderModel {
        let lm = try DecoderModel.load(directory: directory)
        if let adapter {
            _ = try lm.loadLoRA(directory: URL(fileURLWithPath: adapter))
            lm.mergeLoRA()
        }
        return lm
    }
}
