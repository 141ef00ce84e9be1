// PhiloxRandom: the counter-based Philox4x32-10 generator (Salmon, Moraes, Dror, Shaw, "Parallel
// Random Numbers: As Easy as 1, 2, 3", SC 2011; Random123's philox.h). One block maps a 128-bit
// counter and a 64-bit key to four 32-bit words through ten rounds of
//     (hi0, lo0) = M0·c0, (hi1, lo1) = M1·c2,  c ← (hi1 ⊕ c1 ⊕ k0, lo1, hi0 ⊕ c3 ⊕ k1, lo0),
// with the key bumped by the Weyl constants between rounds. Checked against Random123's
// tests/kat_vectors. Why counter-based: the sampler addresses a draw by (seed, stream, position),
// so a row's tokens do not depend on what else is in the batch, a fork is a copy of three integers,
// and rolling back n tokens rewinds the random stream with it.

/// A Philox4x32-10 stream: `key` = seed, counter = (position, stream).
public struct PhiloxRandom: Equatable, Sendable {
    /// The 64-bit key (the user's seed).
    public let seed: UInt64
    /// Independent stream id (e.g. the batch row, or a best-of-N sample index).
    public let stream: UInt64

    /// Creates the stream `stream` of generator `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
    }

    /// The four words of the block at `position` of this stream.
    public func block(position: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
        PhiloxRandom.philox4x32x10(
            counter: (UInt32(truncatingIfNeeded: position), UInt32(truncatingIfNeeded: position >> 32),
                      UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32)),
            key: (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
    }

    /// A uniform Double in [0, 1) for draw `position`: the top 53 bits of words 0 and 1.
    public func uniform(position: UInt64) -> Double {
        let (w0, w1, _, _) = block(position: position)
        let bits = (UInt64(w0) << 32 | UInt64(w1)) >> 11
        return Double(bits) * 0x1p-53
    }

    /// The raw Philox4x32-10 bijection (Random123 `philox4x32_R(10, ctr, key)`).
    public static func philox4x32x10(counter: (UInt32, UInt32, UInt32, UInt32),
                                     key: (UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        let m0: UInt64 = 0xD251_1F53, m1: UInt64 = 0xCD9E_8D57
        let w0: UInt32 = 0x9E37_79B9, w1: UInt32 = 0xBB67_AE85
        var c = counter
        var k = key
        for round in 0..<10 {
            if round > 0 {
                k.0 &+= w0
                k.1 &+= w1
            }
            let p0 = m0 * UInt64(c.0), p1 = m1 * UInt64(c.2)
            c = (UInt32(truncatingIfNeeded: p1 >> 32) ^ c.1 ^ k.0, UInt32(truncatingIfNeeded: p1),
                 UInt32(truncatingIfNeeded: p0 >> 32) ^ c.3 ^ k.1, UInt32(truncatingIfNeeded: p0))
        }
        return c
    }
}
