// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay
// Regularization", ICLR 2019, Algorithm 2), ported from torch 2.15.0's single-tensor path
// (torch/optim/adam.py `_single_tensor_adam` with decoupled_weight_decay=True, which
// torch/optim/adamw.py selects). Defaults are torch's: lr 1e-3, betas (0.9, 0.999), eps 1e-8,
// weight_decay 1e-2, amsgrad false. Left out: maximize, capturable/differentiable/fused modes.
//
// Float order, per element, as torch's CPU kernels evaluate it (which ops are fused was probed
// on an AVX-512 machine by scripts/fixtures/optim_fixture.py; with it 26 of the 32 fixture cases
// are bit-identical to torch over 20 steps, the rest within 2e-7 relative — torch's vectorized
// sqrt is not correctly rounded and its norm reduction sums in another order):
//   p ← p · f32(1 − lr·λ)                                  mul_ by a scalar rounded to Float
//   m ← fma(f32(1−β1), g − m, m)                           lerp_ (torch's lerp uses fmadd)
//   v ← fma(f32(1−β2) · g, g, v · f32(β2))                 mul_ then addcmul_ (contracted)
//   d ← √v / f32(√(1−β2^t)) + f32(ε)                       sqrt, div, add_
//   p ← p + (f32(−lr/(1−β1^t)) · m) / d                    addcdiv_ (value·t1 / t2, no fma)
// The scalars (bias corrections, step size) are formed in Float64 as Python does; fma is
// `fusedMultiplyAdd` (Optimizer.swift), one rounding to Float32.
import Foundation

/// AdamW over named parameter groups; see the file header for the exact update.
///
///     let opt = try AdamW([ParameterGroup(params, lr: 3e-4, weightDecay: 0.1)])
public final class AdamW: Optimizer {
    public private(set) var groups: [ParameterGroup]
    /// Exponential decay rates of the first and second moment estimates.
    public let betas: (Double, Double)
    /// Added to the denominator for numerical stability.
    public let eps: Double
    /// Normalize by the running maximum of the second moment (Reddi et al., 2018).
    public let amsgrad: Bool
    /// Per-parameter state: `exp_avg`, `exp_avg_sq` (and `max_exp_avg_sq`), by parameter name.
    private var state: [String: ParameterState] = [:]

    /// Creates AdamW. Throws `TensorError.invalidArgument` for settings torch rejects
    /// (negative lr, eps or weight decay; betas outside [0, 1); a parameter in two groups).
    public init(_ groups: [ParameterGroup], betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                amsgrad: Bool = false) throws {
        try ParameterGroup.validate(groups, op: "AdamW")
        guard (0 ..< 1).contains(betas.0), (0 ..< 1).contains(betas.1) else {
            throw TensorError.invalidArgument(op: "AdamW", argument: "betas \(betas)", expected: "each in [0, 1)")
        }
        guard eps >= 0, eps.isFinite else {
            throw TensorError.invalidArgument(op: "AdamW", argument: "eps \(eps)", expected: "a finite value ≥ 0")
        }
        self.groups = groups
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
    }

    /// Creates AdamW over one group with torch's defaults (lr 1e-3, weight decay 1e-2).
    public convenience init(_ parameters: [NamedParameter], lr: Double = 1e-3, weightDecay: Double = 1e-2) throws {
        try self.init([ParameterGroup(parameters, lr: lr, weightDecay: weightDecay)])
    }

    public func setLearningRate(_ lr: Double, group index: Int) {
        groups[index].lr = lr
    }

    public func step() {
        Autograd.withoutGrad {
            for group in groups {
                for p in group.parameters where p.isTrainable {
                    update(p, lr: group.lr, weightDecay: group.weightDecay)
                }
            }
        }
    }

    /// Buffer names held per parameter, as in torch's state_dict.
    private var bufferNames: Set<String> {
        amsgrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"]
    }

    public func exportState() -> OptimizerState {
        OptimizerState(parameters: state).copied()
    }

    public func importState(_ imported: OptimizerState) throws {
        state = try imported.validated(for: parameters, required: bufferNames, op: "AdamW.importState")
    }

    /// One parameter's update; creates its zeroed state on first use, as torch does.
    private func update(_ p: NamedParameter, lr: Double, weightDecay: Double) {
        guard let grad = p.tensor.grad else { return }
        precondition(grad.shape == p.tensor.shape, "AdamW: gradient \(grad.shape) for parameter '\(p.name)' \(p.tensor.shape)")
        var entry = state[p.name] ?? ParameterState(
            step: 0, buffers: Dictionary(uniqueKeysWithValues: bufferNames.map { ($0, Tensor(zeros: p.tensor.shape)) }))
        entry.step += 1
        state[p.name] = entry
        let s = scalars(step: entry.step, lr: lr, weightDecay: weightDecay)
        // Present by construction: entries are created with `bufferNames` or validated on import.
        guard let m = entry.buffers["exp_avg"], let v = entry.buffers["exp_avg_sq"] else {
            preconditionFailure("AdamW: state of '\(p.name)' lacks exp_avg/exp_avg_sq")
        }
        let vmax = entry.buffers["max_exp_avg_sq"]
        p.tensor.withUnsafeMutableBuffer { pb in grad.withUnsafeBuffer { gb in
            m.withUnsafeMutableBuffer { mb in v.withUnsafeMutableBuffer { vb in
                if let vmax {
                    vmax.withUnsafeMutableBuffer { xb in AdamW.kernel(pb, gb, mb, vb, xb, s) }
                } else {
                    AdamW.kernel(pb, gb, mb, vb, nil, s)
                }
            } }
        } }
    }

    /// The Float32 scalars of one update, formed from Float64 as torch forms them in Python.
    private func scalars(step: Int, lr: Double, weightDecay: Double) -> AdamWScalars {
        let t = Double(step)
        let bc1 = 1 - pow(betas.0, t), bc2 = 1 - pow(betas.1, t)
        return AdamWScalars(
            decay: weightDecay != 0 ? Float(1 - lr * weightDecay) : 1,
            w1: Float(1 - betas.0), beta2: Float(betas.1), c2: Float(1 - betas.1),
            bc2Sqrt: Float(pow(bc2, 0.5)), eps: Float(eps), negStepSize: Float(-(lr / bc1)))
    }

    /// The fused elementwise update over one parameter (see the file header for the order).
    /// Shapes: all buffers [n], the parameter's element count.
    static func kernel(_ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
                       _ m: UnsafeMutableBufferPointer<Float>, _ v: UnsafeMutableBufferPointer<Float>,
                       _ vmax: UnsafeMutableBufferPointer<Float>?, _ s: AdamWScalars) {
        Parallel.forRanges(p.count, costPerItem: 16) { range in
            // Two loops rather than a branch per element; the common one runs eight lanes at a time.
            if let vmax {
                for i in range {
                    let x = p[i] * s.decay
                    m[i] = lerp(m[i], g[i], s.w1)
                    v[i] = fusedMultiplyAdd(s.c2 * g[i], g[i], v[i] * s.beta2)
                    // torch.maximum: NaN propagates.
                    let top = (v[i].isNaN || v[i] > vmax[i]) ? v[i] : vmax[i]
                    vmax[i] = top
                    p[i] = x + (s.negStepSize * m[i]) / (top.squareRoot() / s.bc2Sqrt + s.eps)
                }
            } else {
                var i = range.lowerBound
                #if ALIGNKIT_FMA
                i = vectorUpdate(p, g, m, v, range, s)
                #endif
                while i < range.upperBound {
                    defer { i += 1 }
                    let x = p[i] * s.decay
                    m[i] = lerp(m[i], g[i], s.w1)
                    v[i] = fusedMultiplyAdd(s.c2 * g[i], g[i], v[i] * s.beta2)
                    p[i] = x + (s.negStepSize * m[i]) / (v[i].squareRoot() / s.bc2Sqrt + s.eps)
                }
            }
        }
    }

    /// The update of `kernel` (no amsgrad) eight lanes at a time over the whole 8-float chunks of `range`;
    /// returns where the scalar loop takes over. The same operations in the same order as the scalar loop,
    /// each correctly rounded per lane (fma, sqrt and division are IEEE in both), so the result is the scalar
    /// loop's bit for bit. Spelled out because the scalar loop did not vectorize: AdamW ran at 21–36% of the
    /// memory bandwidth (`align bench kernels --groups elementwise`).
    @inline(__always)
    static func vectorUpdate(_ p: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
                             _ m: UnsafeMutableBufferPointer<Float>, _ v: UnsafeMutableBufferPointer<Float>,
                             _ range: Range<Int>, _ s: AdamWScalars) -> Int {
        typealias V = SIMD8<Float>
        guard let pp = p.baseAddress, let gp = g.baseAddress, let mp = m.baseAddress, let vp = v.baseAddress else {
            return range.lowerBound
        }
        let (decay, w1, beta2, c2) = (V(repeating: s.decay), V(repeating: s.w1), V(repeating: s.beta2), V(repeating: s.c2))
        let (bc2Sqrt, eps, step) = (V(repeating: s.bc2Sqrt), V(repeating: s.eps), V(repeating: s.negStepSize))
        let small = abs(s.w1) < 0.5  // lerp's branch, the same for every element
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let gv = SIMDMath.load(gp + i), mv = SIMDMath.load(mp + i)
            let x = SIMDMath.load(pp + i) * decay
            let diff = gv - mv
            let m1 = small ? mv.addingProduct(w1, diff) : gv.addingProduct(w1 - 1, diff)
            let v1 = (SIMDMath.load(vp + i) * beta2).addingProduct(c2 * gv, gv)
            SIMDMath.store(m1, mp + i)
            SIMDMath.store(v1, vp + i)
            SIMDMath.store(x + (step * m1) / (v1.squareRoot() / bc2Sqrt + eps), pp + i)
            i += 8
        }
        return i
    }

    /// torch's `lerp(self, end, weight)` (ATen/native/Lerp.h): for |w| < 0.5, self + w·(end − self),
    /// else end − (end − self)·(1 − w); its CPU kernel evaluates both as one fused multiply-add.
    @inline(__always)
    static func lerp(_ start: Float, _ end: Float, _ weight: Float) -> Float {
        let diff = end - start
        return abs(weight) < 0.5 ? fusedMultiplyAdd(weight, diff, start) : fusedMultiplyAdd(weight - 1, diff, end)
    }
}

/// Float32 constants of one AdamW update (torch rounds each Python scalar to the tensor dtype).
struct AdamWScalars {
    /// 1 − lr·λ; exactly 1 when λ = 0 (torch then skips the multiply, and x·1 = x bit for bit).
    let decay: Float
    let w1: Float, beta2: Float, c2: Float, bc2Sqrt: Float, eps: Float, negStepSize: Float
}
