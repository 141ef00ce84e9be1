// TokenSampler: picks the next token from a processed logits row. Greedy is transformers'
// `argmax` (first index among equal maxima, as torch.argmax). Multinomial replaces
// torch.multinomial with a documented, reproducible algorithm (torch's own stream cannot be
// reproduced outside torch):
//   1. p_i = exp(l_i − max l) in Double (the max subtraction keeps exp in range; −inf gives 0);
//   2. u = PhiloxRandom(seed, stream: row).uniform(position: number of tokens generated so far);
//   3. return the first i with p_0 + … + p_i > u · Σp (inverse CDF in index order).
// A row with no finite logit is an error, not a silent token 0.

import Foundation

/// How the next token is chosen from a processed logits row.
public enum TokenSampler: Equatable, Sendable {
    /// The argmax (first index among ties).
    case greedy
    /// A draw from softmax(logits) with the Philox stream of the row.
    case multinomial

    /// Returns the sampled token id of `row` ([V]).
    ///
    /// - Parameters:
    ///   - rng: the row's random stream (unused by greedy).
    ///   - position: the draw index (the row's generated-token count), so rollback rewinds the stream.
    ///   - rowIndex: reported in the error when nothing can be sampled.
    /// - Throws: `noSampleableToken` if every logit is −inf or NaN.
    public func sample(_ row: UnsafeBufferPointer<Float>, rng: PhiloxRandom, position: Int,
                       rowIndex: Int) throws -> Int32 {
        switch self {
        case .greedy: return try TokenSampler.argmax(row, rowIndex: rowIndex)
        case .multinomial:
            return try TokenSampler.inverseCDF(row, u: rng.uniform(position: UInt64(position)), rowIndex: rowIndex)
        }
    }

    /// First index of the largest non-NaN value.
    static func argmax(_ row: UnsafeBufferPointer<Float>, rowIndex: Int) throws -> Int32 {
        var best = -1
        var bestValue = -Float.infinity
        for i in 0..<row.count where row[i] > bestValue {
            best = i
            bestValue = row[i]
        }
        guard best >= 0 else { throw AlignDecodingError.noSampleableToken(row: rowIndex) }
        return Int32(best)
    }

    /// Inverse-CDF draw from softmax(row) with uniform `u` ∈ [0, 1).
    static func inverseCDF(_ row: UnsafeBufferPointer<Float>, u: Double, rowIndex: Int) throws -> Int32 {
        var maxValue = -Float.infinity
        for x in row where x > maxValue { maxValue = x }
        guard maxValue > -.infinity, maxValue.isFinite else { throw AlignDecodingError.noSampleableToken(row: rowIndex) }
        var total = 0.0
        for x in row where !x.isNaN { total += exp(Double(x - maxValue)) }
        let target = u * total
        var cumulative = 0.0
        var lastPositive = -1
        for i in 0..<row.count where !row[i].isNaN {
            let p = exp(Double(row[i] - maxValue))
            guard p > 0 else { continue }
            cumulative += p
            lastPositive = i
            if cumulative > target { return Int32(i) }
        }
        // Rounding can leave the running sum a hair below u·Σp: the last positive token is the answer.
        return Int32(lastPositive)
    }
}
