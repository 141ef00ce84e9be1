// TopKProcessor: keeps the k largest logits of each row — transformers 5.23 `TopKLogitsWarper`.
// Like transformers, k is raised to `min_tokens_to_keep`, clipped to V, and every logit strictly
// below the k-th largest value is filtered, so ties with the k-th value survive.

/// Filters every logit below the row's k-th largest value to −inf.
public struct TopKProcessor: LogitsProcessor {
    /// Effective k: `max(top_k, min_tokens_to_keep)`.
    public let k: Int

    /// - Throws: `invalidParameter` unless `topK > 0` and `minTokensToKeep >= 1`.
    public init(topK: Int, minTokensToKeep: Int = 1) throws {
        guard topK > 0 else {
            throw AlignDecodingError.invalidParameter(parameter: "top_k", value: "\(topK)", expected: "an integer > 0")
        }
        guard minTokensToKeep >= 1 else {
            throw AlignDecodingError.invalidParameter(
                parameter: "min_tokens_to_keep", value: "\(minTokensToKeep)", expected: "an integer >= 1")
        }
        k = max(topK, minTokensToKeep)
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) {
        let k = min(self.k, vocabularySize)
        var scratch = [Float](repeating: 0, count: vocabularySize)
        LogitsRows.forEach(logits, vocabularySize: vocabularySize) { _, row in
            for i in 0..<vocabularySize { scratch[i] = row[i] }
            // Descending order; the k-th value is the threshold (torch.topk(scores, k)[0][..., -1]).
            scratch.sort(by: >)
            let threshold = scratch[k - 1]
            for i in 0..<vocabularySize where row[i] < threshold { row[i] = -.infinity }
        }
    }
}
