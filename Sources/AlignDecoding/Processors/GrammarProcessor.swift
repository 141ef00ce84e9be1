// GrammarProcessor: constrained decoding with AlignGrammar — each batch row owns a GrammarMatcher; every step
// the row's logits are masked with the matcher's allowed-token bitmask (EOS allowed once the text is a complete
// sentence of the grammar), and each accepted token advances the matcher, as xgrammar's and llguidance's
// logits processors do. Rollback and fork replay through the matcher's own rollback. Beam search is not
// supported (it does not report accepted tokens; see BeamSearch.swift).
import AlignGrammar
import AlignTokenizers

/// Masks logits to what a grammar allows.
public struct GrammarProcessor: LogitsProcessor {
    /// Matchers per batch row (a class, so the mutating hooks and `process` share them).
    final class Rows {
        var matchers: [Int: GrammarMatcher] = [:]
        var accepted: [Int: [Int32]] = [:]
    }

    public let grammar: CompiledGrammar
    public let vocabulary: TokenVocabulary
    var rows = Rows()

    /// - Parameters:
    ///   - vocabulary: token id → bytes, with the EOS ids and the model's logit dimension.
    public init(grammar: CompiledGrammar, vocabulary: TokenVocabulary) {
        (self.grammar, self.vocabulary) = (grammar, vocabulary)
    }

    /// The grammar vocabulary of a tokenizer: each id's exact bytes (special tokens none), `eos` as terminators.
    public static func vocabulary(tokenizer: Tokenizer, logitDimension: Int, eosTokenIds: [Int32]) throws -> TokenVocabulary {
        let tokens = (0 ..< logitDimension).map { id in tokenizer.isSpecial(id) ? [] : tokenizer.bytes(of: Int32(id)) }
        return try TokenVocabulary(tokens: tokens, logitDimension: logitDimension, eosTokenIds: eosTokenIds.map { Int($0) })
    }

    func matcher(_ row: Int) -> GrammarMatcher {
        if let m = rows.matchers[row] { return m }
        let m = GrammarMatcher(grammar: grammar, vocabulary: vocabulary)
        rows.matchers[row] = m
        return m
    }

    public mutating func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                                 histories: [TokenHistory]) throws {
        var words = [UInt32](repeating: 0, count: vocabulary.maskWords)
        try LogitsRows.forEach(logits, vocabularySize: vocabularySize) { b, row in
            let m = matcher(histories[b].row)
            words.withUnsafeMutableBufferPointer { m.fillMask(into: $0) }
            try words.withUnsafeBufferPointer { try BitmaskProcessor.apply($0, to: row, row: histories[b].row) }
        }
    }

    public mutating func didAccept(token: Int32, row: Int) throws {
        guard matcher(row).acceptToken(Int(token)) else {
            throw AlignDecodingError.invalidParameter(parameter: "grammar", value: "token \(token) in row \(row)",
                                                      expected: "a token the grammar allows (the mask should have prevented this)")
        }
        rows.accepted[row, default: []].append(token)
    }

    public mutating func rollback(count: Int, row: Int) throws {
        let have = rows.accepted[row]?.count ?? 0
        guard count <= have else { throw AlignDecodingError.rollbackTooFar(requested: count, available: have) }
        matcher(row).rollback(count)
        rows.accepted[row]?.removeLast(count)
    }

    /// A copy with its own matchers, replayed to the same accepted tokens.
    public func forked() -> any LogitsProcessor {
        let copy = GrammarProcessor(grammar: grammar, vocabulary: vocabulary)
        for (row, tokens) in rows.accepted {
            let m = copy.matcher(row)
            for t in tokens { m.acceptToken(Int(t)) }
            copy.rows.accepted[row] = tokens
        }
        return copy
    }
}
