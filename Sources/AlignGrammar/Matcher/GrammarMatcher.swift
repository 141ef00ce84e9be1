// GrammarMatcher: the per-sequence state of constrained decoding — accept tokens, compute the
// allowed-token bitmask, roll back, fast-forward forced bytes. Mirrors the API of xgrammar's
// GrammarMatcher (accept_token, fill_next_token_bitmask, rollback, find_jump_forward_string) and
// llguidance's Matcher (sticky error state: after a rejected token every call fails until reset).

/// A compiled grammar ready to be matched (immutable, shareable between matchers).
public struct CompiledGrammar: Sendable {
    /// The lowered grammar.
    public let flat: FlatGrammar
    /// Warnings collected while compiling (lenient mode).
    public let warnings: [String]
    /// Lexer automaton and per-state masks, shared by every matcher of this grammar.
    let cache: MaskCache

    /// Lowers `grammar`.
    public init(_ grammar: Grammar, warnings: [String] = []) throws {
        flat = try FlatGrammar(grammar)
        self.warnings = warnings
        cache = MaskCache(flat)
    }
}

/// Matches one generated sequence against a compiled grammar.
public final class GrammarMatcher {
    /// The vocabulary masks are computed for.
    public let vocabulary: TokenVocabulary
    var parser: EarleyParser
    let cache: MaskCache
    private var tokenBytes: [Int] = []      // bytes consumed per accepted token (0 for EOS)
    /// Whether an end-of-sequence token was accepted.
    public private(set) var isTerminated = false
    /// Whether a rejected token put the matcher in its (sticky) error state.
    public private(set) var isError = false
    /// Byte scans refused by the per-set item limit during mask computation (treated as disallowed).
    public internal(set) var limitHits = 0

    /// Scratch for the mask walk.
    var scratch = WalkScratch()

    /// A matcher at the start of `grammar`.
    public init(grammar: CompiledGrammar, vocabulary: TokenVocabulary) {
        self.vocabulary = vocabulary
        parser = EarleyParser(grammar.flat)
        cache = grammar.cache
    }

    /// The bytes the grammar allows next (empty after an error or EOS).
    public var allowedBytes: ByteSet { isError || isTerminated ? ByteSet() : parser.allowedBytes }

    /// Whether the text so far is a complete sentence of the grammar.
    public var isAccepting: Bool { !isError && parser.isAccepting }

    /// Consumes token `id`; returns false (and enters the error state) if the grammar forbids it.
    @discardableResult
    public func acceptToken(_ id: Int) -> Bool {
        if isError || isTerminated || id < 0 || id >= vocabulary.logitDimension { isError = true; return false }
        if vocabulary.eosTokenIds.contains(id) {
            if parser.isAccepting { isTerminated = true; tokenBytes.append(0); return true }
            isError = true; return false
        }
        guard id < vocabulary.tokens.count, !vocabulary.tokens[id].isEmpty else { isError = true; return false }
        let bytes = vocabulary.tokens[id]
        for (i, b) in bytes.enumerated() where !parser.scan(b) {
            parser.pop(i)
            isError = true
            return false
        }
        tokenBytes.append(bytes.count)
        return true
    }

    /// Consumes raw bytes (not a token); returns false and enters the error state if forbidden.
    @discardableResult
    public func acceptBytes(_ bytes: [UInt8]) -> Bool {
        if isError || isTerminated { isError = true; return false }
        for (i, b) in bytes.enumerated() where !parser.scan(b) {
            parser.pop(i); isError = true; return false
        }
        tokenBytes.append(bytes.count)
        return true
    }

    /// Undoes the last `n` accepted tokens (or `acceptBytes` calls) and clears the error state.
    public func rollback(_ n: Int) {
        isError = false
        for _ in 0..<min(n, tokenBytes.count) {
            let k = tokenBytes.removeLast()
            if k == 0 { isTerminated = false } else { parser.pop(k) }
        }
    }

    /// Returns to the start of the grammar.
    public func reset() { rollback(tokenBytes.count) }

    /// Bytes the grammar forces next (each step has exactly one allowed byte and the text is not
    /// complete), up to `limit`.
    public func forcedBytes(limit: Int = 256) -> [UInt8] {
        var out: [UInt8] = []
        if isError || isTerminated { return out }
        while out.count < limit, !parser.isAccepting {
            let allowed = parser.allowedBytes
            guard allowed.count == 1, let b = allowed.members.first, parser.scan(b) else { break }
            out.append(b)
        }
        parser.pop(out.count)
        return out
    }
}
