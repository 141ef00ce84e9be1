// Philox4x32-10 and RandomGenerator: Random123's published known-answer vectors, golden values
// hand-derivable from the documented mapping (Random/RandomGenerator.swift, Distributions.swift),
// distribution moments, reproducibility, forking and thread-count independence.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport

@Suite("seeded random numbers (Philox4x32-10)")
struct RandomTests {
    /// Random123's kat_vectors, "philox4x32 10" lines: counter, key → output.
    static let knownAnswers: [(SIMD4<UInt32>, SIMD2<UInt32>, SIMD4<UInt32>)] = [
        (SIMD4(0, 0, 0, 0), SIMD2(0, 0), SIMD4(0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)),
        (SIMD4(repeating: 0xFFFF_FFFF), SIMD2(repeating: 0xFFFF_FFFF),
         SIMD4(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)),
        (SIMD4(0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), SIMD2(0xA409_3822, 0x299F_31D0),
         SIMD4(0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1)),
    ]

    @Test("the block function reproduces Random123's known answers")
    func knownAnswerVectors() {
        for (counter, key, expected) in Self.knownAnswers {
            #expect(Philox4x32.block(counter: counter, key: key) == expected)
        }
    }

    @Test("generator state maps to (counter, key) as documented")
    func stateMapping() {
        var zero = RandomGenerator(seed: 0)
        #expect(zero.nextBlock() == Self.knownAnswers[0].2)
        #expect(zero.offset == 1)
        var ones = RandomGenerator(seed: .max, stream: .max, offset: .max)
        #expect(ones.nextBlock() == Self.knownAnswers[1].2)
        // counter = (lo(offset), hi(offset), lo(stream), hi(stream)), key = (lo(seed), hi(seed)).
        var pi = RandomGenerator(seed: 0x299F_31D0_A409_3822, stream: 0x0370_7344_1319_8A2E, offset: 0x85A3_08D3_243F_6A88)
        #expect(pi.nextBlock() == Self.knownAnswers[2].2)
    }

    @Test("golden uniforms and normals from the first block of seed 0")
    func goldenValues() {
        // Words 6627e8d5 e169c58d bc57ac4c 9b00dbd8; uniform = (w >> 8) / 2^24.
        var g = RandomGenerator(seed: 0)
        let u = Tensor.uniform([4], generator: &g).scalars
        #expect(u == [6_694_888, 14_772_677, 12_343_212, 10_158_299].map { Float($0) / 16_777_216 })
        #expect(compareClose(u, [0.399046421, 0.880520165, 0.735712767, 0.605481803], atol: 1e-9).passed)
        // Box–Muller: u1 = ((w0 >> 8) + 1)/2^24, u2 = (w1 >> 8)/2^24 → √(−2 ln u1)·(cos, sin)(2π u2).
        var h = RandomGenerator(seed: 0)
        let z = Tensor.normal([4], generator: &h).scalars
        #expect(compareClose(z, [0.991137505, -0.924662769, -0.617609084, -0.48206836], atol: 1e-7).passed)
        var b = RandomGenerator(seed: 0)
        #expect(Tensor.bernoulli([4], p: 0.7, generator: &b).scalars == [1, 0, 0, 1])
    }

    @Test("a fill reserves ⌈n/4⌉ blocks and element i comes from block i/4, lane i%4")
    func blockLayout() {
        var g = RandomGenerator(seed: 99, stream: 3)
        let start = g
        let u = Tensor.uniform([4099], low: -1, high: 1, generator: &g).scalars
        #expect(g.offset == start.offset + 1025)
        var reference = start
        let window = reference.reserve(blocks: 1025)
        for i in [0, 1, 7, 2048, 4096, 4098] {
            let w = window.block(i / 4)[i % 4]
            #expect(u[i] == -1 + 2 * RandomBlocks.unitFloat(w), "element \(i)")
        }
    }

    @Test("same state, same numbers; different seed, stream or offset, different numbers")
    func reproducibility() {
        var a = RandomGenerator(seed: 7), b = RandomGenerator(seed: 7)
        #expect(Tensor.normal([1000], generator: &a).scalars == Tensor.normal([1000], generator: &b).scalars)
        #expect(a == b)
        var c = RandomGenerator(seed: 8), d = RandomGenerator(seed: 7, stream: 1)
        let base = Tensor.normal([100], generator: &a).scalars
        #expect(Tensor.normal([100], generator: &c).scalars != base)
        #expect(Tensor.normal([100], generator: &d).scalars != base)
        #expect(Tensor.normal([100], generator: &a).scalars != base)  // the offset moved on
    }

    @Test("fork is deterministic, advances the parent one block and yields an independent stream")
    func fork() {
        var p1 = RandomGenerator(seed: 5), p2 = RandomGenerator(seed: 5)
        var c1 = p1.fork(), c2 = p2.fork()
        #expect(c1 == c2 && p1.offset == 1)
        var fresh = RandomGenerator(seed: 5)
        let block = fresh.nextBlock()
        #expect(c1.seed == UInt64(block.x) | UInt64(block.y) << 32)
        let child = Tensor.uniform([64], generator: &c1).scalars
        #expect(child == Tensor.uniform([64], generator: &c2).scalars)
        #expect(child != Tensor.uniform([64], generator: &p1).scalars)
    }

    @Test("state round-trips through Codable (exact resume)")
    func codable() throws {
        var g = RandomGenerator(seed: 42)
        _ = Tensor.uniform([10], generator: &g)
        let restored = try JSONDecoder().decode(RandomGenerator.self, from: JSONEncoder().encode(g))
        var g2 = restored
        #expect(Tensor.uniform([10], generator: &g).scalars == Tensor.uniform([10], generator: &g2).scalars)
    }

    @Test("moments: uniform, normal and Bernoulli over 200k samples")
    func moments() {
        var g = RandomGenerator(seed: 2026)
        let n = 200_000
        let (um, uv, _, _) = stats(Tensor.uniform([n], low: 2, high: 4, generator: &g).scalars)
        #expect(abs(um - 3) < 0.01 && abs(uv - 4.0 / 12) < 0.005)
        let (nm, nv, skew, kurt) = stats(Tensor.normal([n], mean: 1, std: 2, generator: &g).scalars)
        #expect(abs(nm - 1) < 0.02 && abs(nv - 4) < 0.05)
        #expect(abs(skew) < 0.03 && abs(kurt - 3) < 0.06)
        let (bm, _, _, _) = stats(Tensor.bernoulli([n], p: 0.3, generator: &g).scalars)
        #expect(abs(bm - 0.3) < 0.005)
    }

    @Test("a large fill equals its element-by-element recomputation (independent of thread count)")
    func threadIndependence() {
        var g = RandomGenerator(seed: 11)
        let start = g
        let n = 100_003  // large enough that Parallel splits the work across threads
        let z = Tensor.normal([n], generator: &g).scalars
        var reference = start
        let window = reference.reserve(blocks: (n + 3) / 4)
        var mismatches = 0
        for i in stride(from: 0, to: n, by: 2) {
            let b = window.block(i / 4)
            let (a, c) = (i % 4 == 0) ? (b.x, b.y) : (b.z, b.w)
            let u1 = (Double(a >> 8) + 1) * 0x1p-24, u2 = Double(c >> 8) * 0x1p-24
            let r = (-2 * log(u1)).squareRoot()
            if z[i] != Float(r * cos(2 * .pi * u2)) { mismatches += 1 }
            if i + 1 < n, z[i + 1] != Float(r * sin(2 * .pi * u2)) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}

/// Mean, variance, skewness and kurtosis in Float64.
private func stats(_ xs: [Float]) -> (Double, Double, Double, Double) {
    let n = Double(xs.count)
    let mean = xs.reduce(0.0) { $0 + Double($1) } / n
    var m2 = 0.0, m3 = 0.0, m4 = 0.0
    for x in xs {
        let d = Double(x) - mean
        m2 += d * d; m3 += d * d * d; m4 += d * d * d * d
    }
    m2 /= n; m3 /= n; m4 /= n
    return (mean, m2, m3 / pow(m2, 1.5), m4 / (m2 * m2))
}
