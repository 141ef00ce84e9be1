// TopKProcessor: keeps the k largest logits of each row — transformers 5.23 `TopKLogitsWarper`.
// Like transformers, k is raised to `min_tokens_to_keep`, clipped to V, and every logit strictly
// below the k-th largest value is filtered, so ties with the k-th value survive. The k-th value is
// found by quickselect (expected O(V)) instead of torch.topk's partial sort; NaN logits count as
// −inf here (torch ranks NaN highest), a difference only for broken logits.

/// Filters every logit below the row's k-th largest value to −inf.
public struct TopKProcessor: LogitsProcessor {
    /// Effective k: `max(top_k, min_tokens_to_keep)`.
    public let k: Int

    /// - Throws: `invalidParameter` unless `topK > 0` and `minTokensToKeep >= 1`.
    public init(topK: Int, minTokensToKeep: Int = 1) throws {
        guard topK > 0 else {
            throw AlignDecodingError.invalidParameter(parameter: "top_k", value: "\(topK)", expected: "an integer > 0")
        }
        try AlignDecodingError.checkMinTokensToKeep(minTokensToKeep)
        k = max(topK, minTokensToKeep)
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) {
        let k = min(self.k, vocabularySize)
        var scratch = [Float](repeating: 0, count: vocabularySize)
        LogitsRows.forEach(logits, vocabularySize: vocabularySize) { _, row in
            scratch.withUnsafeMutableBufferPointer { s in
                for i in 0..<vocabularySize { s[i] = row[i].isNaN ? -.infinity : row[i] }
            }
            // The k-th largest value is the threshold (torch.topk(scores, k)[0][..., -1]).
            let threshold = TopKProcessor.kthLargest(&scratch, k: k)
            for i in 0..<vocabularySize where row[i] < threshold { row[i] = -.infinity }
        }
    }

    /// The k-th largest value of `values` (1-based k), by Hoare-partition quickselect with a
    /// median-of-three pivot; `values` is reordered. Requires 1 ≤ k ≤ count and no NaN.
    static func kthLargest(_ values: inout [Float], k: Int) -> Float {
        precondition(k >= 1 && k <= values.count, "k out of range")
        let target = k - 1  // index in descending order
        var lo = 0, hi = values.count - 1
        return values.withUnsafeMutableBufferPointer { v in
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                let pivot = max(min(v[lo], v[mid]), min(max(v[lo], v[mid]), v[hi]))
                var i = lo, j = hi
                while i <= j {
                    while v[i] > pivot { i += 1 }
                    while v[j] < pivot { j -= 1 }
                    if i <= j {
                        v.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                // Now v[lo...j] >= pivot >= v[i...hi], and v[j+1..<i] == pivot.
                if target <= j { hi = j } else if target >= i { lo = i } else { return v[target] }
            }
            return v[target]
        }
    }
}
