// ActivationKernels: SiLU, GELU (tanh approximation and exact erf) and SwiGLU, each forward
// beside its backward, elementwise over contiguous buffers split across threads.
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

    /// σ(x) = 1/(1 + e^−x); e^−x overflows to +inf for x ≪ 0, which correctly gives 0.
    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }

    /// Runs `body(i)` for every i in 0..<n, on both cores when n is large.
    @inline(__always)
    static func forEach(_ n: Int, cost: Int, _ body: (Int) -> Void) {
        Parallel.forRanges(n, costPerItem: cost) { r in for i in r { body(i) } }
    }

    // MARK: SiLU

    static func siluForward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, count n: Int) {
        forEach(n, cost: 8) { i in out[i] = x[i] * sigmoid(x[i]) }
    }

    static func siluBackward(dx: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, x: UnsafePointer<Float>, count n: Int) {
        forEach(n, cost: 8) { i in
            let s = sigmoid(x[i])
            dx[i] = dout[i] * s * (1 + x[i] * (1 - s))
        }
    }

    // MARK: GELU

    static func geluForward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, count n: Int, tanhApproximation: Bool) {
        if tanhApproximation {
            forEach(n, cost: 8) { i in
                let v = x[i]
                out[i] = 0.5 * v * (1 + Foundation.tanh(sqrt2OverPi * (v + kappa * v * v * v)))
            }
        } else {
            forEach(n, cost: 8) { i in out[i] = 0.5 * x[i] * (1 + Foundation.erf(x[i] * Float(0.5).squareRoot())) }
        }
    }

    static func geluBackward(dx: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, x: UnsafePointer<Float>,
                             count n: Int, tanhApproximation: Bool) {
        if tanhApproximation {
            forEach(n, cost: 12) { i in
                let v = x[i]
                let t = Foundation.tanh(sqrt2OverPi * (v + kappa * v * v * v))
                let left = 0.5 * (1 + t)
                let right = 0.5 * v * (1 - t * t) * sqrt2OverPi * (1 + 3 * kappa * v * v)
                dx[i] = dout[i] * (left + right)
            }
        } else {
            forEach(n, cost: 12) { i in
                let v = x[i]
                let cdf = 0.5 * (1 + Foundation.erf(v * Float(0.5).squareRoot()))
                let pdf = Foundation.exp(-0.5 * v * v) * invSqrt2Pi
                dx[i] = dout[i] * (cdf + v * pdf)
            }
        }
    }

    // MARK: SwiGLU

    /// out = silu(gate) ⊙ up.
    static func swigluForward(out: UnsafeMutablePointer<Float>, gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count n: Int) {
        forEach(n, cost: 8) { i in out[i] = gate[i] * sigmoid(gate[i]) * up[i] }
    }

    /// dgate = dout ⊙ up ⊙ silu′(gate), dup = dout ⊙ silu(gate); either output may be skipped.
    static func swigluBackward(dgate: UnsafeMutablePointer<Float>?, dup: UnsafeMutablePointer<Float>?,
                               dout: UnsafePointer<Float>, gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count n: Int) {
        if let dgate {
            forEach(n, cost: 8) { i in
                let s = sigmoid(gate[i])
                dgate[i] = dout[i] * up[i] * s * (1 + gate[i] * (1 - s))
            }
        }
        if let dup {
            forEach(n, cost: 8) { i in dup[i] = dout[i] * gate[i] * sigmoid(gate[i]) }
        }
    }
}
