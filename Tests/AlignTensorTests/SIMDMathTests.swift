// The SIMD exp (Kernels/SIMDMathKernels.swift): ulp error on a dense sweep against the correctly
// rounded exp (Foundation's Double exp rounded to Float) and against Foundation's Float exp,
// the documented edge cases, and the lane-wise max/min.
import Foundation
import Testing
import AlignTensor

@Suite("SIMD exp")
struct SIMDMathTests {
    /// |approx − exact| in units of the last place of the correctly rounded result.
    static func ulpError(_ approx: Float, _ x: Float) -> Double {
        let exact = Foundation.exp(Double(x))
        let ulp = Double(Float(exact).ulp)
        return abs(Double(approx) - exact) / Swift.max(ulp, Double(Float.leastNonzeroMagnitude))
    }

    /// Evaluates `f` on 8 points at a time over [lo, hi] with `count` evenly spaced points.
    static func sweep(_ lo: Float, _ hi: Float, count: Int,
                      _ f: (SIMDMath.Vector) -> SIMDMath.Vector) -> (worstULP: Double, worstVsFoundation: Double) {
        var worst = 0.0, worstF = 0.0
        let step = (Double(hi) - Double(lo)) / Double(count - 1)
        var i = 0
        while i < count {
            var x = SIMDMath.Vector(repeating: hi)
            for k in 0 ..< 8 where i + k < count { x[k] = Float(Double(lo) + Double(i + k) * step) }
            let y = f(x)
            for k in 0 ..< 8 {
                worst = Swift.max(worst, ulpError(y[k], x[k]))
                let ref = Foundation.exp(x[k])
                worstF = Swift.max(worstF, Double(abs(y[k] - ref)) / Double(Swift.max(ref.ulp, .leastNonzeroMagnitude)))
            }
            i += 8
        }
        return (worst, worstF)
    }

    @Test("exp is within 2 ulp of the correctly rounded result on [−103.9, 88.7], subnormals included")
    func denseSweep() {
        let (worst, vsFoundation) = Self.sweep(-103.9, 88.7, count: 400_000, SIMDMath.exp)
        #expect(worst <= 2, "worst \(worst) ulp")
        #expect(vsFoundation <= 2, "vs Foundation.exp(Float): \(vsFoundation) ulp")
        let (near0, _) = Self.sweep(-1, 1, count: 200_000, SIMDMath.exp)
        #expect(near0 <= 2, "worst near 0: \(near0) ulp")
    }

    @Test("expNonPositive is within 2 ulp on [−87.33, 0]")
    func nonPositiveSweep() {
        let (worst, vsFoundation) = Self.sweep(-87.33, 0, count: 400_000, SIMDMath.expNonPositive)
        #expect(worst <= 2, "worst \(worst) ulp")
        #expect(vsFoundation <= 2, "vs Foundation.exp(Float): \(vsFoundation) ulp")
    }

    @Test("edge cases: exp(0) = 1, overflow to +inf, underflow to +0, NaN stays NaN")
    func edges() {
        #expect(SIMDMath.exp(0) == 1)
        #expect(SIMDMath.exp(89) == .infinity && SIMDMath.exp(.infinity) == .infinity)
        #expect(SIMDMath.exp(-104) == 0 && SIMDMath.exp(-.infinity) == 0)
        #expect(SIMDMath.exp(.nan).isNaN)
        #expect(SIMDMath.exp(1) == Float(M_E))
        let sub = SIMDMath.exp(-95)  // subnormal result
        #expect(sub > 0 && sub < Float.leastNormalMagnitude && abs(sub - Foundation.exp(-95)) <= sub.ulp)
        let v = SIMDMath.expNonPositive(SIMDMath.Vector(0, -.infinity, .nan, -88, -87.33, -1, -20, -0.0))
        #expect(v[0] == 1 && v[1] == 0 && v[2].isNaN && v[3] == 0 && v[4] > 0 && v[7] == 1)
    }

    @Test("lane-wise max and min")
    func maxMin() {
        let a = SIMDMath.Vector(1, 5, -3, 0, 2, 2, -.infinity, 7)
        let b = SIMDMath.Vector(2, 4, -4, 0, 3, 1, 0, 7)
        #expect(SIMDMath.max(a, b) == SIMDMath.Vector(2, 5, -3, 0, 3, 2, 0, 7))
        #expect(SIMDMath.min(a, b) == SIMDMath.Vector(1, 4, -4, 0, 2, 1, -.infinity, 7))
    }
}

@Suite("sum-only SIMD exp")
struct SIMDExp2ForSumTests {
    @Test("exp2ForSum is within 3e-7 relative of Float64 2^y on [−125, 0]; below −125 it is 2^−125; NaN stays NaN")
    func relativeError() {
        var worst = 0.0
        for (lo, count) in [(-125.0, 400_000), (-1.0, 100_000)] {
            var i = 0
            while i < count {
                var y = SIMDMath.Vector(repeating: 0)
                for k in 0 ..< 8 { y[k] = Float(lo * Double(i + k) / Double(count - 1)) }
                let e = SIMDMath.exp2ForSum(y)
                for k in 0 ..< 8 {
                    let exact = Foundation.exp2(Double(y[k]))
                    worst = Swift.max(worst, abs(Double(e[k]) - exact) / exact)
                }
                i += 8
            }
        }
        #expect(worst <= 3e-7, "worst relative error \(worst)")
        #expect(SIMDMath.exp2ForSum(SIMDMath.Vector(repeating: 0))[0] == 1)
        let clamped = SIMDMath.exp2ForSum(SIMDMath.Vector(repeating: -.infinity))[0]
        #expect(clamped > 0 && abs(Double(clamped) / Foundation.exp2(-125.0) - 1) < 3e-7)
        #expect(SIMDMath.exp2ForSum(SIMDMath.Vector(repeating: -1000))[0] == clamped)
        #expect(SIMDMath.exp2ForSum(SIMDMath.Vector(repeating: .nan))[0].isNaN)
    }
}
