// ActivationKernels: SiLU, GELU (tanh approximation and exact erf) and SwiGLU, each forward
// beside its backward, elementwise over contiguous buffers split across threads. SiLU, SwiGLU
// and tanh-GELU run eight lanes at a time on the shared vector exp (SIMDMath); exact GELU calls
// libm's erf per element.
//
// Formulas and constants follow PyTorch's CPU kernels (aten/src/ATen/native/cpu/Activation.cpp,
// GeluKernelImpl / GeluBackwardKernelImpl, and silu_kernel / silu_backward_kernel):
//   silu(x)      = x · σ(x),                     silu′(x) = σ(x) · (1 + x · (1 − σ(x)))
//   gelu(x)      = x · Φ(x) = ½x(1 + erf(x/√2)),  gelu′(x) = Φ(x) + x · φ(x),  φ(x) = e^(−x²/2)/√(2π)
//   gelu_tanh(x) = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³)
//   gelu_tanh′(x) = ½(1 + tanh u) + ½x(1 − tanh²u) · √(2/π)(1 + 3·0.044715x²)
//   swiglu(g, u) = silu(g) · u   (transformers' LlamaMLP: act_fn(gate_proj(x)) * up_proj(x))
import Foundation

enum ActivationKernels {
    /// √(2/π), PyTorch's kBeta for the tanh approximation.
    static let sqrt2OverPi: Float = 0.797_884_560_802_865_4
    /// 1/√(2π), the normal density's constant.
    static let invSqrt2Pi: Float = 0.398_942_280_401_432_7
    static let kappa: Float = 0.044715

    typealias Vector = SIMDMath.Vector

    /// σ(x) = 1/(1 + e^−x) on eight lanes with the shared vector exp (Kernels/SIMDMathKernels.swift);
    /// e^−x overflows to +inf for x < −88.7, which correctly gives 0.
    @inline(__always) static func sigmoid(_ x: Vector) -> Vector { 1 / (1 + SIMDMath.exp(-x)) }

    /// tanh(u) = 1 − 2/(e^{2u} + 1) on eight lanes: saturates to ±1 exactly (e^{2u} → +inf or 0);
    /// near 0 the absolute error is ~1e-7 (from exp's 2 ulp around 1), which GELU multiplies by ½x.
    @inline(__always) static func tanh(_ u: Vector) -> Vector { 1 - 2 / (SIMDMath.exp(2 * u) + 1) }

    /// Eight floats from p + i, or the `k` < 8 that remain (other lanes 0).
    @inline(__always) static func load(_ p: UnsafePointer<Float>, _ i: Int, _ k: Int) -> Vector {
        k == 8 ? SIMDMath.load(p + i) : SIMDMath.loadPartial(p + i, k, fill: 0)
    }

    /// Stores the first `k` lanes of `v` at p + i.
    @inline(__always) static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ k: Int) {
        if k == 8 { SIMDMath.store(v, p + i) } else { SIMDMath.storePartial(v, p + i, k) }
    }

    /// Chunks of eight floats covering n floats; chunk c holds floats 8c ..< 8c + lanes(c).
    @inline(__always) static func chunks(_ n: Int) -> Int { (n + 7) / 8 }

    // Every loop below runs whole 8-float chunks with plain vector loads and stores, and the one partial
    // chunk (if any) after them. Deciding full-or-partial inside the loop (load(p, i, k) per chunk) made
    // LLVM's SLP vectorizer split the lane math into scalar and 4-lane pieces: SwiGLU's forward ran at
    // 3.9 GB/s, 22% of the memory bandwidth, against 19.7 GB/s this way (`align bench kernels --groups
    // elementwise`). The per-lane math is a static function of a type (specialized, so inlined); closures
    // were not inlined and cost ~10× (measured).

    /// out[i] = Op.apply(a[i], b[i]) over n floats, split across threads.
    @inline(__always)
    static func map<Op: LaneMap2>(_: Op.Type, out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>,
                                  _ b: UnsafePointer<Float>, count n: Int, costPerItem: Int) {
        Parallel.forRanges(chunks(n), costPerItem: costPerItem) { r in
            let whole = Swift.min(r.upperBound, n / 8)
            var c = r.lowerBound
            while c < whole {
                let i = 8 * c
                SIMDMath.store(Op.apply(SIMDMath.load(a + i), SIMDMath.load(b + i)), out + i)
                c += 1
            }
            if c < r.upperBound {
                let i = 8 * c, k = n - i
                store(Op.apply(load(a, i, k), load(b, i, k)), out, i, k)
            }
        }
    }

    // MARK: SiLU

    enum SiLU: LaneMap2 {  // (x, x) → silu(x)
        @inline(__always) static func apply(_ v: Vector, _: Vector) -> Vector { v * sigmoid(v) }
    }

    enum SiLUGrad: LaneMap2 {  // (dout, x) → dx
        @inline(__always) static func apply(_ d: Vector, _ v: Vector) -> Vector {
            let s = sigmoid(v)
            return d * s * (1 + v * (1 - s))
        }
    }

    static func siluForward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, count n: Int) {
        map(SiLU.self, out: out, x, x, count: n, costPerItem: 64)
    }

    static func siluBackward(dx: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, x: UnsafePointer<Float>, count n: Int) {
        map(SiLUGrad.self, out: dx, dout, x, count: n, costPerItem: 64)
    }

    // MARK: GELU

    enum GELUTanh: LaneMap2 {  // (x, x) → gelu_tanh(x)
        @inline(__always) static func apply(_ v: Vector, _: Vector) -> Vector {
            0.5 * v * (1 + tanh(sqrt2OverPi * (v + kappa * v * v * v)))
        }
    }

    enum GELUTanhGrad: LaneMap2 {  // (dout, x) → dx
        @inline(__always) static func apply(_ d: Vector, _ v: Vector) -> Vector {
            let t = tanh(sqrt2OverPi * (v + kappa * v * v * v))
            let left = 0.5 * (1 + t)
            let right = 0.5 * v * (1 - t * t) * sqrt2OverPi * (1 + 3 * kappa * v * v)
            return d * (left + right)
        }
    }

    static func geluForward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, count n: Int, tanhApproximation: Bool) {
        if tanhApproximation {
            map(GELUTanh.self, out: out, x, x, count: n, costPerItem: 64)
        } else {
            Parallel.forRanges(n, costPerItem: 8) { r in
                for i in r { out[i] = 0.5 * x[i] * (1 + Foundation.erf(x[i] * Float(0.5).squareRoot())) }
            }
        }
    }

    static func geluBackward(dx: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, x: UnsafePointer<Float>,
                             count n: Int, tanhApproximation: Bool) {
        if tanhApproximation {
            map(GELUTanhGrad.self, out: dx, dout, x, count: n, costPerItem: 96)
        } else {
            Parallel.forRanges(n, costPerItem: 12) { r in
                for i in r {
                    let v = x[i]
                    let cdf = 0.5 * (1 + Foundation.erf(v * Float(0.5).squareRoot()))
                    let pdf = Foundation.exp(-0.5 * v * v) * invSqrt2Pi
                    dx[i] = dout[i] * (cdf + v * pdf)
                }
            }
        }
    }

    // MARK: SwiGLU

    enum SwiGLU: LaneMap2 {  // (gate, up) → silu(gate) ⊙ up
        @inline(__always) static func apply(_ g: Vector, _ u: Vector) -> Vector { g * sigmoid(g) * u }
    }

    /// out = silu(gate) ⊙ up.
    static func swigluForward(out: UnsafeMutablePointer<Float>, gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count n: Int) {
        map(SwiGLU.self, out: out, gate, up, count: n, costPerItem: 64)
    }

    /// dgate = dout ⊙ up ⊙ silu′(gate), dup = dout ⊙ silu(gate); either output may be skipped. With `act`, the
    /// same pass also writes the forward's silu(gate) ⊙ up (bit-identical to `swigluForward`), so a backward
    /// that needs the activation again (SwiGLU + linear's dW) reuses this σ instead of a second exp pass.
    static func swigluBackward(dgate: UnsafeMutablePointer<Float>?, dup: UnsafeMutablePointer<Float>?,
                               act: UnsafeMutablePointer<Float>? = nil,
                               dout: UnsafePointer<Float>, gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count n: Int) {
        Parallel.forRanges(chunks(n), costPerItem: 96) { r in
            let whole = Swift.min(r.upperBound, n / 8)
            var c = r.lowerBound
            while c < whole {
                let i = 8 * c
                swigluGrad(dgate, dup, act, SIMDMath.load(dout + i), SIMDMath.load(gate + i), SIMDMath.load(up + i), at: i, 8)
                c += 1
            }
            if c < r.upperBound {
                let i = 8 * c, k = n - i
                swigluGrad(dgate, dup, act, load(dout, i, k), load(gate, i, k), load(up, i, k), at: i, k)
            }
        }
    }

    /// One chunk of `swigluBackward`: k (≤ 8) lanes at offset i.
    @inline(__always)
    static func swigluGrad(_ dgate: UnsafeMutablePointer<Float>?, _ dup: UnsafeMutablePointer<Float>?,
                           _ act: UnsafeMutablePointer<Float>?, _ d: Vector, _ g: Vector, _ u: Vector, at i: Int, _ k: Int) {
        let s = sigmoid(g)
        if let act { store(g * s * u, act, i, k) }
        if let dgate { store(d * u * s * (1 + g * (1 - s)), dgate, i, k) }
        if let dup { store(d * g * s, dup, i, k) }
    }
}

/// An elementwise function of two 8-lane vectors, for `ActivationKernels.map`.
protocol LaneMap2 {
    static func apply(_ a: ActivationKernels.Vector, _ b: ActivationKernels.Vector) -> ActivationKernels.Vector
}
