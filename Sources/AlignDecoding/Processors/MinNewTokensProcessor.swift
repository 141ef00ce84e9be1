// MinNewTokensProcessor: suppresses the EOS ids until `min_new_tokens` tokens were generated —
// transformers 5.23 `MinNewTokensLengthLogitsProcessor` (the prompt is not counted).

/// Sets the EOS logits to −inf while fewer than `minNewTokens` tokens were generated.
public struct MinNewTokensProcessor: LogitsProcessor {
    /// Minimum number of generated tokens before EOS may be sampled.
    public let minNewTokens: Int
    /// End-of-sequence ids to suppress.
    public let eosTokenIds: [Int32]

    /// - Throws: `invalidParameter` if `minNewTokens < 0`.
    public init(minNewTokens: Int, eosTokenIds: [Int32]) throws {
        guard minNewTokens >= 0 else {
            throw AlignDecodingError.invalidParameter(
                parameter: "min_new_tokens", value: "\(minNewTokens)", expected: "an integer >= 0")
        }
        self.minNewTokens = minNewTokens
        self.eosTokenIds = eosTokenIds
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) {
        LogitsRows.forEach(logits, vocabularySize: vocabularySize) { b, row in
            guard histories[b].generatedCount < minNewTokens else { return }
            for eos in eosTokenIds where eos >= 0 && Int(eos) < vocabularySize { row[Int(eos)] = -.infinity }
        }
    }
}
