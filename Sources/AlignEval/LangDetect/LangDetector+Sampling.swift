// LangDetector+Sampling: the randomized naive-Bayes trials of langdetect's `_detect_block`, on a seeded stream.
//
// Port of langdetect 1.0.9 detector.py `_detect_block`, `_update_lang_prob`, `_normalize_prob`. The random
// source is SplitMix64 (Steele, Lea & Flood 2014) with Box–Muller normals instead of Python's Mersenne Twister,
// so trials are reproducible; see LangDetector.swift for why that is acceptable.
import Foundation

extension LangDetector {
    /// Average language probabilities over `trials` sampling runs.
    func detectBlock(_ grams: [UInt64]) -> [Double] {
        let nLang = profiles.languages.count
        // Dense P(gram | lang) rows for the distinct grams of this text only (a few hundred rows, not 184k),
        // and each extracted gram replaced by its row number, so the hot loop indexes flat arrays.
        var rowOf: [UInt64: Int] = [:]
        var table: [Double] = []  // [rows × nLang]
        let occurrences = grams.map { g -> Int in
            if let r = rowOf[g] { return r }
            let r = rowOf.count
            rowOf[g] = r
            appendDenseRow(g, nLang, to: &table)
            return r
        }
        var rng = SplitMix64(seed: seed)
        var langProb = [Double](repeating: 0, count: nLang)
        var prob = [Double](repeating: 0, count: nLang)
        table.withUnsafeBufferPointer { rows in
            prob.withUnsafeMutableBufferPointer { p in
                for _ in 0..<LangDetector.trials {
                    for j in 0..<nLang { p[j] = 1.0 / Double(nLang) }
                    let alpha = LangDetector.alphaDefault + rng.nextGaussian() * LangDetector.alphaWidth
                    let weight = alpha / LangDetector.baseFreq
                    var i = 0
                    while true {
                        // P(lang | grams) ∝ Π (α/BASE_FREQ + P(gram | lang)): the α term smooths unseen grams.
                        let base = occurrences[rng.nextIndex(occurrences.count)] * nLang
                        for j in 0..<nLang { p[j] *= weight + rows[base + j] }
                        if i % 5 == 0 {
                            if normalize(p) > LangDetector.convThreshold || i >= LangDetector.iterationLimit { break }
                        }
                        i += 1
                    }
                    for j in 0..<nLang { langProb[j] += p[j] / Double(LangDetector.trials) }
                }
            }
        }
        return langProb
    }

    private func appendDenseRow(_ g: UInt64, _ nLang: Int, to table: inout [Double]) {
        let base = table.count
        table.append(contentsOf: repeatElement(0, count: nLang))
        if let r = profiles.rows[g] {
            for k in Int(r.start)..<Int(r.start + r.count) { table[base + Int(profiles.rowLangs[k])] = profiles.rowProbs[k] }
        }
    }

    /// `_normalize_prob`: divide by the sum; return the largest probability.
    private func normalize(_ prob: UnsafeMutableBufferPointer<Double>) -> Double {
        var sum = 0.0
        for p in prob { sum += p }
        var maxp = 0.0
        for j in prob.indices {
            let p = prob[j] / sum
            if maxp < p { maxp = p }
            prob[j] = p
        }
        return maxp
    }
}

/// SplitMix64: a small, fast, well-mixed 64-bit generator (Steele, Lea & Flood, OOPSLA 2014).
struct SplitMix64 {
    private var state: UInt64
    private var spareGaussian: Double?

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func nextUnit() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// Uniform index in 0..<n (n > 0), by multiply-shift (bias < 2^-32 for any n used here).
    mutating func nextIndex(_ n: Int) -> Int { Int(((next() >> 32) * UInt64(n)) >> 32) }

    /// Standard normal by the Box–Muller transform (pairs cached).
    mutating func nextGaussian() -> Double {
        if let g = spareGaussian { spareGaussian = nil; return g }
        let u1 = 1.0 - nextUnit()  // (0, 1], so log is finite
        let u2 = nextUnit()
        let r = (-2.0 * Foundation.log(u1)).squareRoot()
        spareGaussian = r * Foundation.sin(2 * Double.pi * u2)
        return r * Foundation.cos(2 * Double.pi * u2)
    }
}
