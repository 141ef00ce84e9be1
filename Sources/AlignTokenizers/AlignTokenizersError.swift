// AlignTokenizersError: the one error type of AlignTokenizers. Every case names where the problem is
// (a file, a JSON key path such as `pre_tokenizer.pretokenizers[1].type`) and what was expected.

/// Errors thrown while loading a tokenizer.json or encoding/decoding with it.
public enum AlignTokenizersError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read or is not JSON.
    case unreadableFile(path: String, reason: String)
    /// A required key is missing.
    case missingKey(path: String)
    /// A value has the wrong JSON type or an invalid value.
    case invalidValue(path: String, expected: String)
    /// A stage's `"type"` string is not one AlignTokenizers implements.
    case unknownType(path: String, type: String)
    /// A merge names a token (or a merged token) missing from the vocabulary.
    case invalidMerge(path: String, merge: String)
    /// A regular expression in the file could not be compiled.
    case invalidPattern(path: String, pattern: String, reason: String)
    /// A token id is outside the vocabulary.
    case unknownTokenId(Int)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): return "cannot read tokenizer file \(path): \(reason)"
        case let .missingKey(path): return "tokenizer.json: missing key `\(path)`"
        case let .invalidValue(path, expected): return "tokenizer.json: `\(path)` must be \(expected)"
        case let .unknownType(path, type):
            return "tokenizer.json: unknown type \"\(type)\" at `\(path)` (not implemented by AlignTokenizers)"
        case let .invalidMerge(path, merge): return "tokenizer.json: merge \"\(merge)\" at `\(path)` names a token missing from the vocabulary"
        case let .invalidPattern(path, pattern, reason): return "tokenizer.json: cannot compile pattern \(pattern) at `\(path)`: \(reason)"
        case let .unknownTokenId(id): return "token id \(id) is outside the vocabulary"
        }
    }
}
