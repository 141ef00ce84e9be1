// SIMDMath: a vectorized Float32 exp on SIMD8<Float>, plus unaligned SIMD8 loads and stores,
// for the softmax family (softmax, log-softmax, the fused log-prob, cross-entropy).
//
// Method (the classic Cody–Waite scheme, as in Cephes' expf by S. Moshier and Muller,
// "Elementary Functions", ch. 11):
//   x = n·ln2 + r, n = round(x·log2 e), |r| ≤ ln2/2,
//   r is formed in two steps with ln2 split into a short high part (exact products n·ln2_hi
//   for |n| < 2^15) and a low correction, so the reduction adds no error worth counting;
//   e^r ≈ 1 + r + r²·P(r), P of degree 4 fitted by scripts/fixtures/exp_poly_k2.py (truncation
//   error 1.1e-8 relative = 0.18·2⁻²⁴);
//   e^x = e^r · 2^⌊n/2⌋ · 2^(n−⌊n/2⌋), two exact power-of-two scalings so results that are
//   subnormal (x < −87.34) round once, like libm, instead of flushing to zero.
// Error bound: ≤ 2 ulp against the correctly rounded exp over [−103.9, 88.7], asserted on a dense
// sweep by SIMDMathTests (the worst case measured is 1.03 ulp, vs Float64 exp rounded to Float
// and vs Foundation.exp(Float)); x < −103.98 gives +0, x > 88.72 gives +inf, NaN gives NaN.
// `expNonPositive` is the hot-loop variant for arguments ≤ 0 (after subtracting a row max): same
// accuracy on [−87.33, 0] (worst measured 1.01 ulp), flushing smaller results to +0.
// No FMA is assumed (the package builds for baseline x86-64 / arm64), so this costs ~7 SSE
// instructions per element; that, not memory, bounds the softmax family on baseline x86-64.
// Left out: other transcendental functions; kernels needing them use Foundation per element.

/// Vector math on SIMD8<Float> for the softmax-family kernels.
public enum SIMDMath {
    /// a·b + c. Fused (one rounding, one instruction) when built with `-D ALIGNKIT_FMA` — which
    /// scripts/swift-flags passes together with `-target-cpu haswell` on CPUs with FMA; without the
    /// FMA target feature `addingProduct` would become a libm call per lane, so the plain form is used.
    @inlinable @inline(__always)
    public static func fma(_ a: Vector, _ b: Vector, _ c: Vector) -> Vector {
        #if ALIGNKIT_FMA
        return c.addingProduct(a, b)
        #else
        return a * b + c
        #endif
    }

    /// Eight float lanes: two SSE or NEON registers, or one AVX register.
    public typealias Vector = SIMD8<Float>

    // Range-reduction constants. ln2_hi has 9 significant bits, so n·ln2_hi is exact for |n| ≤ 2^15.
    @usableFromInline static let log2e: Float = 1.442_695_04
    @usableFromInline static let ln2Hi: Float = 0.693_359_375
    @usableFromInline static let ln2Lo: Float = -2.121_944_4e-4
    // Adding 1.5·2^23 rounds to an integer (round-to-nearest-even) and leaves it in the low mantissa bits.
    @usableFromInline static let roundMagic: Float = 12_582_912
    // Below exp(−103.98) every result rounds to +0; above 88.73 exp overflows to +inf anyway.
    @usableFromInline static let lowClamp: Float = -104
    @usableFromInline static let highClamp: Float = 89
    // P(r) ≈ (e^r − 1 − r)/r² on [−ln2/2, ln2/2]; from scripts/fixtures/exp_poly_k2.py.
    @usableFromInline static let c2: Float = 0.5
    @usableFromInline static let c3: Float = 0.166_665_762_662_887_57
    @usableFromInline static let c4: Float = 0.041_666_466_742_753_98
    @usableFromInline static let c5: Float = 0.008_363_175_205_886_364
    @usableFromInline static let c6: Float = 0.001_393_364_393_152_296_5

    /// e^x in each lane, within 2 ulp of the correctly rounded result (see the file header).
    @inlinable @inline(__always)
    public static func exp(_ x: Vector) -> Vector {
        // Clamp keeps n in [−150, 129]; comparisons with NaN are false, so NaN passes through.
        var v = x.replacing(with: Vector(repeating: lowClamp), where: x .< lowClamp)
        v = v.replacing(with: Vector(repeating: highClamp), where: v .> highClamp)
        let t = v * log2e + roundMagic
        let nf = t - roundMagic
        let r = fma(nf, Vector(repeating: -ln2Lo), fma(nf, Vector(repeating: -ln2Hi), v))
        var p = Vector(repeating: c6)
        p = fma(p, r, Vector(repeating: c5))
        p = fma(p, r, Vector(repeating: c4))
        p = fma(p, r, Vector(repeating: c3))
        p = fma(p, r, Vector(repeating: c2))
        let er = fma(r * r, p, r) + 1
        // n sits in the low mantissa bits of t: bits(t) = bits(1.5·2^23) + n.
        let n = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let n1 = n &>> 1
        let n2 = n &- n1
        let s1 = unsafeBitCast((n1 &+ 127) &<< 23, to: Vector.self)
        let s2 = unsafeBitCast((n2 &+ 127) &<< 23, to: Vector.self)
        return er * s1 * s2
    }

    /// e^x for x ≤ 0 (or NaN): the hot-loop form used after subtracting a row maximum.
    /// Same reduction and polynomial as `exp`, without the upper clamp (x ≤ 0 never overflows) and
    /// with results below Float.leastNormalMagnitude (x < −87.33) flushed to +0 by a mask instead of
    /// the two-step scaling — ~30% fewer instructions. Within 2 ulp of the correctly rounded exp on
    /// [−87.33, 0]; x = −inf gives +0, NaN gives NaN. Positive x is outside the contract.
    @inlinable @inline(__always)
    public static func expNonPositive(_ x: Vector) -> Vector {
        let t = x * log2e + roundMagic
        let nf = t - roundMagic
        let r = fma(nf, Vector(repeating: -ln2Lo), fma(nf, Vector(repeating: -ln2Hi), x))
        var p = Vector(repeating: c6)
        p = fma(p, r, Vector(repeating: c5))
        p = fma(p, r, Vector(repeating: c4))
        p = fma(p, r, Vector(repeating: c3))
        p = fma(p, r, Vector(repeating: c2))
        let er = fma(r * r, p, r) + 1
        // bits(2^n) = (n + 127) << 23 = (bits(t) − bits(1.5·2^23) + 127) << 23; shifting first
        // drops the high bits, so one shift and one add suffice (wrapping arithmetic is intended).
        let bits = (unsafeBitCast(t, to: SIMD8<UInt32>.self) &<< 23) &+ ((127 &- 0x4B40_0000) &<< 23)
        let scaled = er * unsafeBitCast(bits, to: Vector.self)
        // Below −87.33 the exponent field would wrap: flush those lanes to +0 by clearing their bits
        // (an and-mask compiles to two instructions where `replacing(with:where:)` takes five).
        // NaN compares false, so NaN lanes keep their (NaN) value.
        let below = unsafeBitCast(x .< -87.33, to: SIMD8<UInt32>.self)
        return unsafeBitCast(unsafeBitCast(scaled, to: SIMD8<UInt32>.self) & ~below, to: Vector.self)
    }

    // 2^f ≈ 1 + f·Q(f) on [−½, ½], Q of degree 4, for `exp2ForSum`; from scripts/fixtures/exp_poly_sum.py
    // (minimax in the relative error: 1.08e-7 = 1.8·2⁻²⁴ before rounding in the evaluation).
    @usableFromInline static let q1: Float = 0.693_147_003_650_665_3
    @usableFromInline static let q2: Float = 0.240_222_424_268_722_53
    @usableFromInline static let q3: Float = 0.055_507_335_811_853_41
    @usableFromInline static let q4: Float = 0.009_671_512_991_189_957
    @usableFromInline static let q5: Float = 0.001_326_472_731_307_149
    // 2^−125 is still a normal float, so the exponent field of 2^n below never wraps.
    @usableFromInline static let exp2SumClamp: Float = -125

    /// 2^y for y ≤ 0 (or NaN), for terms that are only summed (the log-sum-exp of the softmax family,
    /// which passes y = (x − max)·log2 e already formed by one multiply-add). ~40% fewer instructions
    /// than `expNonPositive`: no Cody–Waite split (f = y − round(y) is exact), a degree-5 polynomial
    /// instead of degree 6, and y clamped at −125 instead of flushed: y < −125 (and −inf) gives
    /// ≈ 2^−125 ≈ 2.4e-38 rather than 0, which no sum that contains its row maximum (2^0 = 1) can
    /// notice. Relative error ≤ 3e-7 (over [−125, 0] against Float64 by SIMDMathTests). NaN gives NaN.
    @inlinable @inline(__always)
    public static func exp2ForSum(_ y: Vector) -> Vector {
        // max(c, y) keeps NaN lanes NaN (`max` returns its second argument when a comparison fails).
        let v = max(Vector(repeating: exp2SumClamp), y)
        let t = v + roundMagic
        let f = v - (t - roundMagic)  // exact: v and round(v) are within a factor 2 (Sterbenz)
        var p = Vector(repeating: q5)
        p = fma(p, f, Vector(repeating: q4))
        p = fma(p, f, Vector(repeating: q3))
        p = fma(p, f, Vector(repeating: q2))
        p = fma(p, f, Vector(repeating: q1))
        p = fma(p, f, Vector(repeating: 1))
        // round(v) sits in the low mantissa bits of t, and bits(1.5·2^23) << 23 wraps to 0, so
        // (bits(t) << 23) + (127 << 23) = bits(2^n) (wrapping arithmetic is intended).
        let bits = (unsafeBitCast(t, to: SIMD8<UInt32>.self) &<< 23) &+ (127 &<< 23)
        return p * unsafeBitCast(bits, to: Vector.self)
    }

    /// Lane-wise maximum (one `maxps`-style instruction; the stdlib's generic pointwiseMax is a call).
    /// Where a lane of `a` is NaN the result is `b`'s lane.
    @inlinable @inline(__always)
    public static func max(_ a: Vector, _ b: Vector) -> Vector {
        var r = a
        for i in 0 ..< 8 { r[i] = a[i] > b[i] ? a[i] : b[i] }
        return r
    }

    /// Lane-wise minimum, the mirror of `max`.
    @inlinable @inline(__always)
    public static func min(_ a: Vector, _ b: Vector) -> Vector {
        var r = a
        for i in 0 ..< 8 { r[i] = a[i] < b[i] ? a[i] : b[i] }
        return r
    }

    /// e^x for one float by the same method (lane 0 of the vector form), for tails and tests.
    @inlinable
    public static func exp(_ x: Float) -> Float {
        exp(Vector(repeating: x))[0]
    }

    /// Loads eight floats from `p` (no alignment needed).
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    /// Loads the first `count` (< 8) floats from `p`; the other lanes hold `fill`.
    @inlinable @inline(__always)
    public static func loadPartial(_ p: UnsafePointer<Float>, _ count: Int, fill: Float) -> Vector {
        var v = Vector(repeating: fill)
        for i in 0 ..< count { v[i] = p[i] }
        return v
    }

    /// Stores eight floats at `p` (no alignment needed).
    @inlinable @inline(__always)
    public static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }

    /// Stores the first `count` (< 8) lanes of `v` at `p`.
    @inlinable @inline(__always)
    public static func storePartial(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0 ..< count { p[i] = v[i] }
    }
}
