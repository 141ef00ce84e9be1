// Philox4x32-10: the counter-based generator of Salmon, Moraes, Dror & Shaw, "Parallel Random
// Numbers: As Easy as 1, 2, 3" (SC'11), as specified by Random123 (include/Random123/philox.h)
// and used by PyTorch's CUDA/CPU Philox engine and JAX's alternatives to threefry.
//
// Why Philox: output block i is a pure function of (key, counter i) — no sequential state — so a
// tensor's random numbers can be produced by any number of threads in any chunking and come out
// bit-identical; streams split by giving them different counter ranges or keys; it passes
// TestU01 BigCrush; and published known-answer vectors (Random123's kat_vectors) pin it down.
//
// One block: 10 rounds of, on counter words (c0, c1, c2, c3) and key (k0, k1),
//   (hi0, lo0) = M0·c0, (hi1, lo1) = M1·c2 (64-bit products)
//   (c0, c1, c2, c3) ← (hi1 ⊕ c1 ⊕ k0, lo1, hi0 ⊕ c3 ⊕ k1, lo0)
// with the key bumped by the Weyl constants (W0, W1) between rounds.

/// The Philox4x32-10 block function.
public enum Philox4x32 {
    @usableFromInline static let m0: UInt64 = 0xD251_1F53
    @usableFromInline static let m1: UInt64 = 0xCD9E_8D57
    @usableFromInline static let w0: UInt32 = 0x9E37_79B9
    @usableFromInline static let w1: UInt32 = 0xBB67_AE85

    /// The four 32-bit outputs for `counter` under `key` (Random123's philox4x32(ctr, key) with R = 10).
    @inlinable
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        var c = counter
        var k0 = key.x, k1 = key.y
        for round in 0 ..< 10 {
            if round > 0 { k0 &+= w0; k1 &+= w1 }
            let p0 = m0 &* UInt64(c.x), p1 = m1 &* UInt64(c.z)
            c = SIMD4(UInt32(truncatingIfNeeded: p1 >> 32) ^ c.y ^ k0, UInt32(truncatingIfNeeded: p1),
                      UInt32(truncatingIfNeeded: p0 >> 32) ^ c.w ^ k1, UInt32(truncatingIfNeeded: p0))
        }
        return c
    }
}
