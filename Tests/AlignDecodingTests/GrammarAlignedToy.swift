// The toy setting of the grammar-aligned sampling tests: a six-token byte vocabulary (EOS, "a", "b",
// "c", "ab", "bc"), the regex [ab][bc]c? (eight strings, several tokenizations each), and a table model
// whose next-token distribution is fixed per prefix. After "a" the model puts 0.8 on "a", which the
// grammar forbids, so masked sampling hands that mass to "ab…"/"ac…" strings and over-samples them:
// the exact conditional gives "ac" 0.078 while masked sampling gives it 0.214. The exact distribution is
// enumerated here in Float64, and plain masked sampling is written out independently of ASAp's code.
import AlignGrammar
import Foundation
@testable import AlignDecoding

/// A next-token source with a fixed table: explicit rows for some prefixes, a default row otherwise.
struct TableSource: NextTokenSource {
    let vocabularySize: Int
    let rows: [[Int32]: [Int32: Double]]
    let fallback: [Int32: Double]
    private(set) var calls = 0

    init(vocabularySize: Int, rows: [[Int32]: [Int32: Double]], fallback: [Int32: Double]) {
        (self.vocabularySize, self.rows, self.fallback) = (vocabularySize, rows, fallback)
    }

    func probabilities(after prefix: [Int32]) -> [Int32: Double] { rows[prefix] ?? fallback }

    mutating func logProbabilities(after prefix: [Int32]) throws -> [Double] {
        calls += 1
        var out = [Double](repeating: -.infinity, count: vocabularySize)
        for (t, p) in probabilities(after: prefix) { out[Int(t)] = log(p) }
        return out
    }
}

enum GrammarAlignedToy {
    static let tokens: [[UInt8]] = [[], Array("a".utf8), Array("b".utf8), Array("c".utf8), Array("ab".utf8), Array("bc".utf8)]
    static let eos: Int32 = 0
    static let language: Set<String> = ["ab", "ac", "bb", "bc", "abc", "acc", "bbc", "bcc"]

    static func vocabulary() throws -> TokenVocabulary { try TokenVocabulary(tokens: tokens, eosTokenIds: [0]) }
    static func grammar(_ regex: String = "[ab][bc]c?") throws -> CompiledGrammar { try CompiledGrammar(RegexGrammar.compile(regex)) }

    static func model() -> TableSource {
        TableSource(vocabularySize: 6, rows: [
            []: [1: 0.5, 2: 0.2, 3: 0.1, 4: 0.1, 5: 0.05, 0: 0.05],
            [1]: [1: 0.8, 2: 0.05, 3: 0.05, 0: 0.1],
            [2]: [2: 0.1, 3: 0.3, 1: 0.4, 0: 0.2],
        ], fallback: [0: 0.4, 1: 0.15, 2: 0.15, 3: 0.15, 4: 0.1, 5: 0.05])
    }

    static func text(_ ids: [Int32]) -> String { String(decoding: ids.flatMap { tokens[Int($0)] }, as: UTF8.self) }
    static func viable(_ s: String) -> Bool { language.contains { $0.hasPrefix(s) } }

    /// P(string | string ∈ language) by enumerating every token path (the language is finite), and the
    /// normaliser P(language).
    static func exact() -> (distribution: [String: Double], mass: Double) {
        let m = model()
        var mass: [String: Double] = [:]
        func visit(_ prefix: [Int32], _ p: Double) {
            let s = text(prefix)
            for (t, q) in m.probabilities(after: prefix) {
                if t == eos {
                    if language.contains(s) { mass[s, default: 0] += p * q }
                } else if viable(s + text([t])) {
                    visit(prefix + [t], p * q)
                }
            }
        }
        visit([], 1)
        let z = mass.values.reduce(0, +)
        return (mass.mapValues { $0 / z }, z)
    }

    /// The exact distribution of plain masked sampling: each step renormalises P over the tokens that
    /// keep the string viable (EOS once it is complete).
    static func maskedExact() -> [String: Double] {
        let m = model()
        var out: [String: Double] = [:]
        func visit(_ prefix: [Int32], _ p: Double) {
            let s = text(prefix)
            let allowed = m.probabilities(after: prefix).filter { t, _ in t == eos ? language.contains(s) : viable(s + text([t])) }
            let z = allowed.values.reduce(0, +)
            for (t, q) in allowed {
                if t == eos { out[s, default: 0] += p * q / z } else { visit(prefix + [t], p * q / z) }
            }
        }
        visit([], 1)
        return out
    }

    /// One plain masked sample: each token from P renormalised over the grammar's mask (what
    /// GrammarProcessor + multinomial sampling do), with its own Philox stream.
    static func maskedSample(_ g: CompiledGrammar, _ v: TokenVocabulary, rng: PhiloxRandom) -> [Int32] {
        let m = model(), matcher = GrammarMatcher(grammar: g, vocabulary: v)
        var prefix: [Int32] = []
        for position in 0 ..< 16 {
            let allowed = Set(GrammarMatcher.allowedIds(matcher.computeMask()).map { Int32($0) })
            let row = m.probabilities(after: prefix).filter { allowed.contains($0.key) }.sorted { $0.key < $1.key }
            let target = rng.uniform(position: UInt64(position)) * row.reduce(0) { $0 + $1.value }
            var cumulative = 0.0
            var pick = row.last?.key ?? eos
            for (t, p) in row { cumulative += p; if cumulative > target { pick = t; break } }
            if pick == eos { return prefix }
            matcher.acceptToken(Int(pick))
            prefix.append(pick)
        }
        return prefix
    }

    /// KL(p ‖ q) over p's support; +inf when q misses a string p gives mass.
    static func kl(_ p: [String: Double], _ q: [String: Double]) -> Double {
        p.reduce(0) { acc, e in
            guard e.value > 0 else { return acc }
            guard let qv = q[e.key], qv > 0 else { return .infinity }
            return acc + e.value * log(e.value / qv)
        }
    }

    static func empirical(_ strings: [String]) -> [String: Double] {
        var counts: [String: Double] = [:]
        for s in strings { counts[s, default: 0] += 1 }
        return counts.mapValues { $0 / Double(strings.count) }
    }
}
