// The samplers: Philox4x32-10 against Random123's known answers, greedy tie-breaking, and the
// multinomial sampler's reproducibility and empirical distribution (a fixed-seed chi-square check,
// deterministic rather than flaky).
import Foundation
import Testing
@testable import AlignDecoding

@Suite("Samplers")
struct SamplerTests {
    @Test("Philox4x32-10 matches Random123's kat_vectors")
    func philoxKnownAnswers() {
        let zero = PhiloxRandom.philox4x32x10(counter: (0, 0, 0, 0), key: (0, 0))
        #expect([zero.0, zero.1, zero.2, zero.3] == [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8])
        let ones = PhiloxRandom.philox4x32x10(counter: (.max, .max, .max, .max), key: (.max, .max))
        #expect([ones.0, ones.1, ones.2, ones.3] == [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd])
        let pi = PhiloxRandom.philox4x32x10(counter: (0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344),
                                            key: (0xa4093822, 0x299f31d0))
        #expect([pi.0, pi.1, pi.2, pi.3] == [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1])
    }

    @Test("uniform draws lie in [0, 1) and depend on seed, stream and position")
    func uniformDraws() {
        let a = PhiloxRandom(seed: 42, stream: 0)
        let values = (0..<1000).map { a.uniform(position: UInt64($0)) }
        #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(values.reduce(0, +) / 1000 - 0.5) < 0.05)
        #expect(a.uniform(position: 3) == PhiloxRandom(seed: 42, stream: 0).uniform(position: 3))
        #expect(a.uniform(position: 3) != PhiloxRandom(seed: 43, stream: 0).uniform(position: 3))
        #expect(a.uniform(position: 3) != PhiloxRandom(seed: 42, stream: 1).uniform(position: 3))
    }

    @Test("greedy takes the first of equal maxima and skips −inf; all −inf is an error")
    func greedy() throws {
        let row: [Float] = [-.infinity, 1, 3, 3, 2]
        let pick = try row.withUnsafeBufferPointer {
            try TokenSampler.greedy.sample($0, rng: PhiloxRandom(seed: 0), position: 0, rowIndex: 0)
        }
        #expect(pick == 2)
        let dead: [Float] = [-.infinity, -.infinity]
        #expect(throws: AlignDecodingError.noSampleableToken(row: 5)) {
            try dead.withUnsafeBufferPointer {
                try TokenSampler.multinomial.sample($0, rng: PhiloxRandom(seed: 0), position: 0, rowIndex: 5)
            }
        }
    }

    @Test("multinomial inverse CDF picks the bucket u falls in")
    func inverseCDF() throws {
        // softmax([ln 1, ln 2, −inf, ln 1]) = [0.25, 0.5, 0, 0.25]
        let row: [Float] = [0, logf(2), -.infinity, 0]
        let picks = try [0.0, 0.2499, 0.2501, 0.7499, 0.7501, 0.9999].map { u in
            try row.withUnsafeBufferPointer { try TokenSampler.inverseCDF($0, u: u, rowIndex: 0) }
        }
        #expect(picks == [0, 0, 1, 1, 3, 3])
    }

    @Test("seeded multinomial frequencies pass a chi-square test against the softmax")
    func empiricalDistribution() throws {
        let logits: [Float] = [1.0, 0.5, -0.3, 2.0, 0.0, -1.5, 1.2, 0.7]
        let maxL = logits.max() ?? 0
        let weights = logits.map { exp(Double($0 - maxL)) }
        let probs = weights.map { $0 / weights.reduce(0, +) }
        let n = 20_000
        var counts = [Int](repeating: 0, count: logits.count)
        let rng = PhiloxRandom(seed: 1234, stream: 7)
        try logits.withUnsafeBufferPointer { buf in
            for i in 0..<n { counts[Int(try TokenSampler.multinomial.sample(buf, rng: rng, position: i, rowIndex: 0))] += 1 }
        }
        let chi2 = zip(counts, probs).map { c, p in pow(Double(c) - Double(n) * p, 2) / (Double(n) * p) }.reduce(0, +)
        // 7 degrees of freedom: P(χ² > 24.32) = 0.001. The seed is fixed, so this is deterministic.
        #expect(chi2 < 24.32, "chi-square \(chi2), counts \(counts)")
        // Reproducible: the same seed gives the same draws.
        let again = try logits.withUnsafeBufferPointer { buf in
            try (0..<50).map { try TokenSampler.multinomial.sample(buf, rng: rng, position: $0, rowIndex: 0) }
        }
        let first = try logits.withUnsafeBufferPointer { buf in
            try (0..<50).map { try TokenSampler.multinomial.sample(buf, rng: PhiloxRandom(seed: 1234, stream: 7), position: $0, rowIndex: 0) }
        }
        #expect(again == first)
    }
}

@Suite("Top-k selection")
struct TopKSelectionTests {
    @Test("quickselect's k-th largest equals the sorted k-th value, with ties and −inf")
    func kthLargest() throws {
        var seed: UInt64 = 12345
        for trial in 0..<200 {
            let n = 1 + trial % 37
            var values = (0..<n).map { i -> Float in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let r = Int(seed >> 59)  // 0…31: few distinct values, so ties are common
                return r == 0 ? -.infinity : Float(r % 7) - Float(i % 3) * 0.5
            }
            let sorted = values.sorted(by: >)
            let k = 1 + (trial * 7) % n
            #expect(TopKProcessor.kthLargest(&values, k: k) == sorted[k - 1], "trial \(trial)")
        }
    }
}

@Suite("Argsort")
struct ArgsortTests {
    @Test("packed-key argsort orders floats ascending with index tie-break, −inf first")
    func argsort() {
        let keys: [Float] = [0.5, -.infinity, -2, 3, 0.5, -0.25, .infinity, 0]
        #expect(LogitsRows.argsortAscending(keys) == [1, 2, 5, 7, 0, 4, 3, 6])
    }
}
