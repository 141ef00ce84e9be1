// distinct-n: lexical diversity of a set of responses, Li et al. 2016 ("A Diversity-Promoting Objective
// Function for Neural Conversation Models", NAACL, §4.1: the number of distinct n-grams "scaled by the total
// number of generated tokens"). We use the corpus-level form of ../shared/methods/evaluation.md §4:
//   distinct-n = |unique n-grams over all responses| / |n-grams over all responses|,
// i.e. divided by the n-gram count (= tokens − n + 1 per response), not the token count, and pooled over the
// set rather than averaged per response. Tokens are whitespace words (Python `str.split()`).
// Witness: scripts/fixtures/evalmetrics_diversity.py (nltk.util.ngrams over the same tokens).

/// Corpus-level distinct-n over a set of responses.
public enum DistinctNGrams {
    /// distinct-n for `n`, with its counts.
    public struct Result: Sendable, Equatable {
        /// n-gram order.
        public var n: Int
        /// Distinct n-grams over all responses.
        public var unique: Int
        /// All n-grams over all responses.
        public var total: Int
        /// unique / total (0 when there is no n-gram).
        public var value: Double { total > 0 ? Double(unique) / Double(total) : 0 }
    }

    /// distinct-n of `responses` for each n in `orders`, tokenized on whitespace.
    /// - Throws: `AlignEvalError.invalidArgument` for an order below 1.
    public static func compute(_ responses: [String], orders: [Int] = [1, 2, 3, 4]) throws -> [Result] {
        let tokens = responses.map(BLEU.tokenize)
        return try orders.map { n in
            guard n >= 1 else { throw AlignEvalError.invalidArgument(name: "n", reason: "n-gram order must be ≥ 1, got \(n)") }
            var seen = Set<[String]>(), total = 0
            for words in tokens where words.count >= n {
                for i in 0 ... words.count - n {
                    seen.insert(Array(words[i ..< i + n]))
                    total += 1
                }
            }
            return Result(n: n, unique: seen.count, total: total)
        }
    }
}
