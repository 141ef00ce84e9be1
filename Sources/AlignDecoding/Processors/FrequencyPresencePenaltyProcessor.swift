// FrequencyPresencePenaltyProcessor: OpenAI's additive frequency and presence penalties, from the
// OpenAI API reference ("Parameter details", frequency_penalty / presence_penalty):
//     logit[j] -= c[j] · frequency_penalty + 1[c[j] > 0] · presence_penalty,
// where c[j] counts token j among the tokens generated so far (the prompt is not counted, as in
// OpenAI's description and vLLM's implementation). transformers has no such processor; the fixture
// evaluates the formula in float32.

/// Subtracts `count · frequency + (count > 0) · presence` from each generated token's logit.
public struct FrequencyPresencePenaltyProcessor: LogitsProcessor {
    /// Per-occurrence penalty (OpenAI range −2…2).
    public let frequencyPenalty: Float
    /// One-off penalty for any token that occurred (OpenAI range −2…2).
    public let presencePenalty: Float

    /// - Throws: `invalidParameter` if a penalty is outside OpenAI's [−2, 2].
    public init(frequencyPenalty: Float, presencePenalty: Float) throws {
        for (name, value) in [("frequency_penalty", frequencyPenalty), ("presence_penalty", presencePenalty)] {
            guard value >= -2, value <= 2 else {
                throw AlignDecodingError.invalidParameter(parameter: name, value: "\(value)", expected: "a value in [-2, 2]")
            }
        }
        self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) {
        var counts = [Int](repeating: 0, count: vocabularySize)
        LogitsRows.forEach(logits, vocabularySize: vocabularySize) { b, row in
            for i in 0..<vocabularySize { counts[i] = 0 }
            for token in histories[b].generated where token >= 0 && Int(token) < vocabularySize {
                counts[Int(token)] += 1
            }
            for j in 0..<vocabularySize where counts[j] > 0 {
                row[j] = row[j] - Float(counts[j]) * frequencyPenalty - presencePenalty
            }
        }
    }
}
