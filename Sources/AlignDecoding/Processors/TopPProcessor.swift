// TopPProcessor: nucleus filtering — transformers 5.23 `TopPLogitsWarper`. Sorts each row
// ascending, takes the cumulative softmax, removes the entries whose cumulative probability is
// <= 1 - top_p (the low tail), and always keeps the `min_tokens_to_keep` largest. top_p = 1 keeps
// everything; top_p = 0 keeps exactly `min_tokens_to_keep` tokens.

import Foundation

/// Keeps the smallest set of most probable tokens whose probabilities add up to at least `top_p`.
public struct TopPProcessor: LogitsProcessor {
    /// Probability mass to keep, in [0, 1].
    public let topP: Double
    /// Tokens that are never filtered (the largest ones).
    public let minTokensToKeep: Int

    /// - Throws: `invalidParameter` unless `0 <= topP <= 1` and `minTokensToKeep >= 1`.
    public init(topP: Double, minTokensToKeep: Int = 1) throws {
        guard topP >= 0, topP <= 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "top_p", value: "\(topP)", expected: "a value in [0, 1]")
        }
        try AlignDecodingError.checkMinTokensToKeep(minTokensToKeep)
        self.topP = topP
        self.minTokensToKeep = minTokensToKeep
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) {
        let v = vocabularySize
        var sorted = [Float](repeating: 0, count: v)
        var probs = [Float](repeating: 0, count: v)
        // transformers compares the float32 cumulative sum with the float32 value of (1 - top_p).
        let cutoff = Float(1 - topP)
        LogitsRows.forEach(logits, vocabularySize: v) { _, row in
            let order = LogitsRows.argsortAscending(Array(row))
            sorted.withUnsafeMutableBufferPointer { s in
                for j in 0..<v { s[j] = row[order[j]] }
                LogitsRows.softmax(UnsafeBufferPointer(s), into: &probs)
            }
            // The cumulative sum only grows, so "cumulative <= cutoff" holds on a prefix of the
            // ascending order; accumulated in Double and rounded, as torch's CPU cumsum for float32.
            var removeCount = 0
            var cumulative = 0.0
            probs.withUnsafeBufferPointer { p in
                while removeCount < v {
                    cumulative += Double(p[removeCount])
                    if Float(cumulative) > cutoff { break }
                    removeCount += 1
                }
            }
            for j in 0..<min(removeCount, max(0, v - minTokensToKeep)) { row[order[j]] = -.infinity }
        }
    }
}
