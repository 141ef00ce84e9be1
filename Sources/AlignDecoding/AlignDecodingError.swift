// AlignDecodingError: the one error type of AlignDecoding. Every case names the parameter, row or
// token that was wrong and what was expected, so a bad request can be answered without a debugger.

/// Errors thrown by the generation loop, the processors, the samplers and the rewards.
public enum AlignDecodingError: Error, CustomStringConvertible, Equatable {
    /// A generation parameter is out of its range (`parameter` is the generation_config.json / OpenAI name).
    case invalidParameter(parameter: String, value: String, expected: String)
    /// A token id lies outside the model's vocabulary (`V` logits per row).
    case tokenOutOfVocabulary(parameter: String, token: Int, vocabularySize: Int)
    /// The model returned logits of an unexpected shape.
    case logitsShapeMismatch(expected: [Int], actual: [Int])
    /// A prompt was empty (the loop needs at least one token to condition on).
    case emptyPrompt(row: Int)
    /// `rollback(n)` asked for more tokens than were generated.
    case rollbackTooFar(requested: Int, available: Int)
    /// A bitmask had fewer 32-bit words than the vocabulary needs.
    case bitmaskTooShort(row: Int, words: Int, needed: Int)
    /// A reward specification could not be built (bad regex, empty combination, …).
    case invalidReward(reason: String)
    /// A generation_config.json (or request JSON) could not be read or decoded.
    case invalidGenerationConfig(file: String, reason: String)
    /// A row's logits left no token with positive probability (all −inf or NaN).
    case noSampleableToken(row: Int)
    /// Grammar-aligned sampling's prefix trie reached its size limit (`what`: "nodes" or "stored probabilities").
    case grammarAlignedTrieFull(what: String, limit: Int)
    /// Grammar-aligned sampling found no grammatical sequence: every explored continuation is a dead end.
    case noGrammaticalSequence(maxTokens: Int, attempts: Int)
    /// A steering-direction file is not what `align steer build` writes (a [C] tensor `direction` and an
    /// integer `layer` in the metadata), or does not fit the model; `reason` says what was found.
    case invalidSteeringFile(file: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidParameter(parameter, value, expected):
            return "generation parameter '\(parameter)' = \(value): expected \(expected)"
        case let .tokenOutOfVocabulary(parameter, token, vocabularySize):
            return "'\(parameter)' names token \(token), but the model has \(vocabularySize) logits per row"
        case let .logitsShapeMismatch(expected, actual):
            return "model returned logits of shape \(actual), expected \(expected) ([B, V])"
        case let .emptyPrompt(row):
            return "prompt of row \(row) is empty; generation needs at least one prompt token"
        case let .rollbackTooFar(requested, available):
            return "rollback(\(requested)) but only \(available) generated tokens can be removed"
        case let .bitmaskTooShort(row, words, needed):
            return "bitmask of row \(row) has \(words) 32-bit words, the vocabulary needs \(needed)"
        case let .invalidReward(reason):
            return "invalid reward: \(reason)"
        case let .invalidGenerationConfig(file, reason):
            return "\(file): not a valid generation config: \(reason)"
        case let .noSampleableToken(row):
            return "row \(row): every token was filtered out (all logits −inf or NaN); nothing can be sampled"
        case let .grammarAlignedTrieFull(what, limit):
            return "grammar-aligned sampling: the prefix trie holds its limit of \(limit) \(what); "
                + "raise the limit or start a new sampler (the trie is never evicted silently)"
        case let .noGrammaticalSequence(maxTokens, attempts):
            return "grammar-aligned sampling: no grammatical sequence of at most \(maxTokens) tokens has positive "
                + "model probability (gave up after \(attempts) attempts)"
        case let .invalidSteeringFile(file, reason):
            return "\(file): not a steering direction: \(reason)"
        }
    }
}
