// TypicalProcessor: locally typical sampling (Meister et al., "Typical Decoding for Natural
// Language Generation", arXiv 2202.00666) as transformers 5.23 `TypicalLogitsWarper` computes it:
// entropy H of the row's distribution, tokens sorted by |−log p − H|, the shortest prefix of that
// order whose probability mass reaches `typical_p` is kept (plus the first `min_tokens_to_keep`).

import Foundation

/// Keeps the tokens whose surprisal is closest to the row's entropy, up to mass `typicalP`.
public struct TypicalProcessor: LogitsProcessor {
    /// Mass to keep, strictly between 0 and 1.
    public let mass: Float
    /// Tokens that are never filtered (the first ones in typicality order).
    public let minTokensToKeep: Int

    /// - Throws: `invalidParameter` unless `0 < mass < 1` and `minTokensToKeep >= 1`.
    public init(mass: Float, minTokensToKeep: Int = 1) throws {
        guard mass > 0, mass < 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "typical_p", value: "\(mass)", expected: "a value in (0, 1)")
        }
        try AlignDecodingError.checkMinTokensToKeep(minTokensToKeep)
        self.mass = mass
        self.minTokensToKeep = minTokensToKeep
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) {
        let v = vocabularySize
        var probs = [Float](repeating: 0, count: v)
        LogitsRows.forEach(logits, vocabularySize: v) { _, row in
            LogitsRows.softmax(UnsafeBufferPointer(row), into: &probs)
            let logZ = logSumExp(row)
            // Entropy with nansum semantics: −inf logits contribute 0·(−inf) = NaN, which is skipped.
            var entropy: Float = 0
            for i in 0..<v {
                let term = (row[i] - logZ) * probs[i]
                if !term.isNaN { entropy -= term }
            }
            let shifted = (0..<v).map { abs(-(row[$0] - logZ) - entropy) }
            let order = LogitsRows.argsortAscending(shifted)
            let sortedLogits = order.map { row[$0] }
            var sortedProbs = [Float](repeating: 0, count: v)
            sortedLogits.withUnsafeBufferPointer { LogitsRows.softmax($0, into: &sortedProbs) }
            var cumulative = 0.0
            var lastIndex = 0
            for j in 0..<v {
                cumulative += Double(sortedProbs[j])
                if Float(cumulative) < mass { lastIndex += 1 }
            }
            lastIndex = min(lastIndex, v - 1)
            let limit = shifted[order[lastIndex]]
            for j in min(minTokensToKeep, v)..<v where shifted[order[j]] > limit { row[order[j]] = -.infinity }
        }
    }

    /// log Σ exp(row), with the max subtracted first so exp cannot overflow (torch's log_softmax).
    private func logSumExp(_ row: UnsafeMutableBufferPointer<Float>) -> Float {
        var maxValue = -Float.infinity
        for x in row where x > maxValue { maxValue = x }
        var sum = 0.0
        for x in row { sum += Double(expf(x - maxValue)) }
        return maxValue + Float(log(sum))
    }
}
