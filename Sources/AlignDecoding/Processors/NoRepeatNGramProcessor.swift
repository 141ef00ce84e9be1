// NoRepeatNGramProcessor: forbids completing an n-gram that already occurs in the row's history
// (prompt included) — transformers 5.23 `NoRepeatNGramLogitsProcessor`. The last n−1 ids are
// matched against every earlier window; each match bans the token that followed it. With n = 1
// every id seen so far is banned.

/// Sets to −inf every token that would repeat an n-gram of the history.
public struct NoRepeatNGramProcessor: LogitsProcessor {
    /// n ≥ 1.
    public let ngramSize: Int

    /// - Throws: `invalidParameter` unless `ngramSize > 0`.
    public init(ngramSize: Int) throws {
        guard ngramSize > 0 else {
            throw AlignDecodingError.invalidParameter(
                parameter: "no_repeat_ngram_size", value: "\(ngramSize)", expected: "an integer > 0")
        }
        self.ngramSize = ngramSize
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) {
        let n = ngramSize
        LogitsRows.forEach(logits, vocabularySize: vocabularySize) { b, row in
            let ids = histories[b].tokens
            let length = ids.count
            guard length >= n else { return }
            let prefixStart = length - (n - 1)
            // Window i covers ids[i ..< i+n]; the one starting at the prefix itself is incomplete.
            for i in 0...(length - n) {
                var matches = true
                for j in 0..<(n - 1) where ids[i + j] != ids[prefixStart + j] {
                    matches = false
                    break
                }
                let banned = Int(ids[i + n - 1])
                if matches, banned >= 0, banned < vocabularySize { row[banned] = -.infinity }
            }
        }
    }
}
