// Activations: the tensor-level SiLU, GELU and SwiGLU ops, recorded on the tape with the
// hand-written derivatives of Kernels/ActivationKernels.swift (PyTorch's formulas).
// SiLU is Llama/Mistral/Qwen's `hidden_act: "silu"`; GELU with the tanh approximation is GPT-2's
// `gelu_new` (torch's approximate="tanh"), exact GELU is torch's default `gelu`.

/// Which GELU formula to use; raw values are torch.nn.functional.gelu's `approximate` strings.
public enum GELUApproximation: String, Sendable, CaseIterable {
    /// Exact: x·Φ(x) with the error function.
    case none
    /// ½x(1 + tanh(√(2/π)(x + 0.044715x³))) — GPT-2's `gelu_new`.
    case tanh
}

extension Tensor {
    /// SiLU (swish): `x · σ(x)`, elementwise. Differentiable.
    public func silu() -> Tensor {
        let out = Tensor.uninitialized(shape)
        withUnsafeBuffer { x in out.withUnsafeMutableBuffer { y in
            ActivationKernels.siluForward(out: y.baseAddress!, x: x.baseAddress!, count: count)
        } }
        return Tensor.record("silu", out, [self]) { [self] g in
            let dx = Tensor.uninitialized(self.shape)
            g.withUnsafeBuffer { pg in self.withUnsafeBuffer { x in dx.withUnsafeMutableBuffer { d in
                ActivationKernels.siluBackward(dx: d.baseAddress!, dout: pg.baseAddress!, x: x.baseAddress!, count: self.count)
            } } }
            return [dx]
        }
    }

    /// GELU, elementwise: exact `x·Φ(x)` or the tanh approximation. Differentiable.
    /// - Parameter approximation: `.none` (torch's default) or `.tanh` (GPT-2's `gelu_new`).
    public func gelu(approximation: GELUApproximation = .none) -> Tensor {
        let useTanh = approximation == .tanh
        let out = Tensor.uninitialized(shape)
        withUnsafeBuffer { x in out.withUnsafeMutableBuffer { y in
            ActivationKernels.geluForward(out: y.baseAddress!, x: x.baseAddress!, count: count, tanhApproximation: useTanh)
        } }
        return Tensor.record("gelu", out, [self]) { [self] g in
            let dx = Tensor.uninitialized(self.shape)
            g.withUnsafeBuffer { pg in self.withUnsafeBuffer { x in dx.withUnsafeMutableBuffer { d in
                ActivationKernels.geluBackward(dx: d.baseAddress!, dout: pg.baseAddress!, x: x.baseAddress!,
                                               count: self.count, tanhApproximation: useTanh)
            } } }
            return [dx]
        }
    }

    /// Validates SwiGLU operands: `gate` and `up` must have the same shape.
    /// - Throws: `TensorError.shapeMismatch` naming both shapes.
    public static func checkSwiGLU(gate: [Int], up: [Int]) throws {
        guard gate == up else {
            throw TensorError.shapeMismatch(op: "swiglu", shapes: [gate, up], expected: "gate and up of the same shape")
        }
    }

    /// SwiGLU: `silu(gate) ⊙ up` in one pass (transformers' LlamaMLP before `down_proj`).
    ///
    ///     let h = Tensor.swiglu(gate: x.matmul(wGate), up: x.matmul(wUp))   // [B, T, F] each
    ///
    /// Differentiable with respect to both operands.
    public static func swiglu(gate: Tensor, up: Tensor) -> Tensor {
        checked { try checkSwiGLU(gate: gate.shape, up: up.shape) }
        let n = gate.count
        let out = Tensor.uninitialized(gate.shape)
        gate.withUnsafeBuffer { pg in up.withUnsafeBuffer { pu in out.withUnsafeMutableBuffer { y in
            ActivationKernels.swigluForward(out: y.baseAddress!, gate: pg.baseAddress!, up: pu.baseAddress!, count: n)
        } } }
        return record("swiglu", out, [gate, up]) { g in
            let dgate: Tensor? = gate.needsGrad ? Tensor.uninitialized(gate.shape) : nil
            let dup: Tensor? = up.needsGrad ? Tensor.uninitialized(up.shape) : nil
            g.withUnsafeBuffer { pd in gate.withUnsafeBuffer { pg in up.withUnsafeBuffer { pu in
                withOptionalMutablePointer(dgate) { dg in withOptionalMutablePointer(dup) { du in
                    ActivationKernels.swigluBackward(dgate: dg, dup: du, dout: pd.baseAddress!, gate: pg.baseAddress!,
                                                     up: pu.baseAddress!, count: n)
                } }
            } } }
            return [dgate, dup]
        }
    }
}
