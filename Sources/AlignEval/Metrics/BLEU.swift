// Sentence BLEU as NLTK 3.10.4 computes it (`nltk.translate.bleu_score.sentence_bleu`, Papineni et al. 2002),
// and self-BLEU (Zhu et al. 2018, "Texygen: A Benchmarking Platform for Text Generation Models", SIGIR):
// each response's BLEU-4 against all the *other* responses as references, averaged (Texygen's parallel
// path, which leaves the hypothesis out of its own references).
//   p_n  = Σ_g min(count_hyp(g), max_ref count_ref(g)) / max(1, Σ_g count_hyp(g))   (clipped precision)
//   BP   = 1 if c > r; 0 if c = 0; else exp(1 − r/c), r = the reference length closest to c (ties → shorter)
//   BLEU = BP · exp(Σ_n ¼ log p_n), and 0 when no unigram matches at all (NLTK's early return).
// Smoothing (Chen & Cherry 2014, NLTK's `SmoothingFunction`): `.method1` (Texygen's choice, and our
// default) replaces a zero p_n by ε/denominator with ε = 0.1; `.none` is NLTK's `method0`, which puts
// `sys.float_info.min` in place of a zero p_n, so the score collapses to ≈ 0 rather than exactly 0.
// Tokens are whitespace words (Texygen uses nltk.word_tokenize; we keep the tokenization language-neutral).
// Witness: scripts/fixtures/evalmetrics_diversity.py → Tests/Fixtures/evalmetrics/diversity.json.
import Foundation

/// NLTK-compatible sentence BLEU and self-BLEU.
public enum BLEU {
    /// How zero n-gram precisions are smoothed.
    public enum Smoothing: String, Sendable, CaseIterable {
        /// NLTK `method0`: no smoothing (a zero precision becomes the smallest normal Double).
        case none
        /// NLTK `method1`: a zero precision becomes 0.1 / denominator.
        case method1
    }

    /// Whitespace tokens of `text` (Python `str.split()`).
    public static func tokenize(_ text: String) -> [String] {
        PyText(py: text).pySplitWhitespace().map(\.string)
    }

    /// BLEU-4 (uniform weights) of `hypothesis` against `references`, all already tokenized.
    /// - Precondition: `references` is not empty (programmer error; `selfBLEU` checks user input).
    public static func sentence(hypothesis: [String], references: [[String]], smoothing: Smoothing = .method1,
                                maxOrder: Int = 4) -> Double {
        precondition(!references.isEmpty, "BLEU needs at least one reference")
        var numerators: [Int] = [], denominators: [Int] = []
        for n in 1 ... maxOrder {
            let (num, den) = clippedCounts(hypothesis, references, n: n)
            numerators.append(num)
            denominators.append(den)
        }
        // NLTK returns 0 outright when not even one unigram matches.
        guard numerators[0] > 0 else { return 0 }
        let c = hypothesis.count
        let r = references.map(\.count).min { (abs($0 - c), $0) < (abs($1 - c), $1) } ?? 0
        let bp = c > r ? 1 : (c == 0 ? 0 : exp(1 - Double(r) / Double(c)))
        var logSum = 0.0
        for n in 0 ..< maxOrder {
            let p: Double
            if numerators[n] > 0 {
                p = Double(numerators[n]) / Double(denominators[n])
            } else {
                p = smoothing == .method1 ? 0.1 / Double(denominators[n]) : Double.leastNormalMagnitude
            }
            logSum += log(p) / Double(maxOrder)
        }
        return bp * exp(logSum)
    }

    /// Self-BLEU of `responses`: mean over i of BLEU(response_i; references = every other response).
    /// - Throws: `AlignEvalError.invalidArgument` for fewer than 2 responses.
    public static func selfBLEU(_ responses: [String], smoothing: Smoothing = .method1) throws -> Double {
        guard responses.count >= 2 else {
            throw AlignEvalError.invalidArgument(name: "responses", reason: "self-BLEU needs at least 2 responses, got \(responses.count)")
        }
        let tokens = responses.map(tokenize)
        var total = 0.0
        for i in tokens.indices {
            let refs = tokens.indices.filter { $0 != i }.map { tokens[$0] }
            total += sentence(hypothesis: tokens[i], references: refs, smoothing: smoothing)
        }
        return total / Double(tokens.count)
    }

    /// (Σ clipped n-gram matches, max(1, hypothesis n-gram count)) for order `n` (NLTK `modified_precision`).
    static func clippedCounts(_ hyp: [String], _ refs: [[String]], n: Int) -> (Int, Int) {
        let counts = ngramCounts(hyp, n: n)
        var maxRef: [[String]: Int] = [:]
        for ref in refs {
            for (g, k) in ngramCounts(ref, n: n) where counts[g] != nil { maxRef[g] = max(maxRef[g] ?? 0, k) }
        }
        let clipped = counts.reduce(0) { $0 + min($1.value, maxRef[$1.key] ?? 0) }
        return (clipped, max(1, counts.values.reduce(0, +)))
    }

    /// Counts of the n-grams of `words`.
    static func ngramCounts(_ words: [String], n: Int) -> [[String]: Int] {
        var counts: [[String]: Int] = [:]
        guard words.count >= n else { return counts }
        for i in 0 ... words.count - n { counts[Array(words[i ..< i + n]), default: 0] += 1 }
        return counts
    }
}
