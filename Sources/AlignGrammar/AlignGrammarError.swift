// AlignGrammarError: the one error type of AlignGrammar. Every case names where the problem is
// (a JSON pointer, a line/column, a byte offset) and what was expected, so a user can fix the input.

/// Errors thrown by the grammar front ends, the compiler and the matcher.
public enum AlignGrammarError: Error, Equatable, CustomStringConvertible {
    /// A regular expression could not be parsed: `pattern`, byte offset, and what was expected.
    case regexSyntax(pattern: String, offset: Int, message: String)
    /// A regular-expression feature we do not compile (lookaround, backreference, `\b`, …).
    case regexUnsupported(pattern: String, feature: String)
    /// A GBNF / Lark grammar could not be parsed at `line`:`column`.
    case grammarSyntax(line: Int, column: Int, message: String)
    /// A rule is referenced but never defined.
    case undefinedRule(name: String)
    /// A JSON document (schema or instance) is not valid JSON.
    case jsonSyntax(offset: Int, message: String)
    /// A JSON Schema keyword we do not support, at `pointer` (e.g. `#/properties/a/not`).
    case unsupportedKeyword(keyword: String, pointer: String, reason: String)
    /// A JSON Schema keyword has a value of the wrong shape.
    case invalidSchema(pointer: String, message: String)
    /// A `$ref` that does not resolve inside the document.
    case unresolvedReference(ref: String, pointer: String)
    /// The grammar exceeded a size limit while compiling (automaton states, rules, repeats).
    case tooLarge(what: String, limit: Int)
    /// The grammar accepts no string at all.
    case emptyLanguage
    /// A vocabulary or mask argument is inconsistent (e.g. logit dimension smaller than the vocabulary).
    case invalidVocabulary(message: String)

    public var description: String {
        switch self {
        case let .regexSyntax(p, o, m): return "regex /\(p)/: syntax error at byte \(o): \(m)"
        case let .regexUnsupported(p, f): return "regex /\(p)/: unsupported feature \(f)"
        case let .grammarSyntax(l, c, m): return "grammar: syntax error at line \(l), column \(c): \(m)"
        case let .undefinedRule(n): return "grammar: rule '\(n)' is used but not defined"
        case let .jsonSyntax(o, m): return "JSON: syntax error at byte \(o): \(m)"
        case let .unsupportedKeyword(k, p, r): return "JSON Schema: unsupported keyword '\(k)' at \(p): \(r)"
        case let .invalidSchema(p, m): return "JSON Schema: invalid schema at \(p): \(m)"
        case let .unresolvedReference(r, p): return "JSON Schema: $ref '\(r)' at \(p) does not resolve"
        case let .tooLarge(w, l): return "grammar too large: \(w) exceeds the limit of \(l)"
        case .emptyLanguage: return "grammar accepts no string at all"
        case let .invalidVocabulary(m): return "vocabulary: \(m)"
        }
    }
}
