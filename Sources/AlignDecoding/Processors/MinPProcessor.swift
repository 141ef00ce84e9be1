// MinPProcessor: min-p filtering — transformers 5.23 `MinPLogitsWarper` (after oobabooga's
// text-generation-webui PR 4449). A token survives if its probability is at least
// min_p × (probability of the most likely token); the `min_tokens_to_keep` most probable always do.

import Foundation

/// Filters tokens whose probability is below `minP` times the row's top probability.
public struct MinPProcessor: LogitsProcessor {
    /// Relative threshold in [0, 1].
    public let minP: Float
    /// Tokens that are never filtered (the most probable ones).
    public let minTokensToKeep: Int

    /// - Throws: `invalidParameter` unless `0 <= minP <= 1` and `minTokensToKeep >= 1`.
    public init(minP: Float, minTokensToKeep: Int = 1) throws {
        guard minP >= 0, minP <= 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "min_p", value: "\(minP)", expected: "a value in [0, 1]")
        }
        try AlignDecodingError.checkMinTokensToKeep(minTokensToKeep)
        self.minP = minP
        self.minTokensToKeep = minTokensToKeep
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) {
        let v = vocabularySize
        var probs = [Float](repeating: 0, count: v)
        LogitsRows.forEach(logits, vocabularySize: v) { _, row in
            LogitsRows.softmax(UnsafeBufferPointer(row), into: &probs)
            probs.withUnsafeBufferPointer { p in
                var top: Float = 0
                for i in 0..<v where p[i] > top { top = p[i] }
                let threshold = minP * top
                // The k most probable are kept whatever their probability (torch.topk, descending);
                // k = 1 is the argmax, which the threshold never removes anyway.
                var keep = Set<Int>()
                if minTokensToKeep > 1 {
                    keep = Set(LogitsRows.argsortAscending(probs.map { -$0 }).prefix(min(minTokensToKeep, v)))
                }
                for i in 0..<v where p[i] < threshold && !keep.contains(i) { row[i] = -.infinity }
            }
        }
    }
}
