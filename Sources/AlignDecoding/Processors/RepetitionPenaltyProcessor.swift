// RepetitionPenaltyProcessor: the multiplicative CTRL repetition penalty (Keskar et al., "CTRL",
// arXiv 1909.05858 §4.1) as transformers 5.23 `RepetitionPenaltyLogitsProcessor` applies it: each
// distinct token of the row's prompt + generated ids, once, gets logit·θ if the logit is negative
// and logit/θ otherwise. Ids outside the logits row are ignored, as transformers clamps them away.

/// CTRL repetition penalty on every token seen in the row's history (prompt included).
public struct RepetitionPenaltyProcessor: LogitsProcessor {
    /// θ > 0; 1 means no penalty, > 1 discourages repetition, < 1 encourages it.
    public let penalty: Float

    /// - Throws: `invalidParameter` unless `penalty > 0`.
    public init(penalty: Float) throws {
        guard penalty > 0, penalty.isFinite else {
            throw AlignDecodingError.invalidParameter(
                parameter: "repetition_penalty", value: "\(penalty)", expected: "a finite value > 0")
        }
        self.penalty = penalty
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) {
        // Division by θ is a multiply by the float32 reciprocal, as torch does for a scalar divisor.
        let inverse = 1 / penalty
        var seen = [Bool](repeating: false, count: vocabularySize)
        LogitsRows.forEach(logits, vocabularySize: vocabularySize) { b, row in
            for i in 0..<vocabularySize { seen[i] = false }
            for token in histories[b].tokens {
                let t = Int(token)
                guard t >= 0, t < vocabularySize, !seen[t] else { continue }
                seen[t] = true
                row[t] = row[t] < 0 ? row[t] * penalty : row[t] * inverse
            }
        }
    }
}
