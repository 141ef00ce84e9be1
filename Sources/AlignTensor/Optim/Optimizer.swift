// Optimizer: the protocol AdamW and SGD share (their exported state is in OptimizerState.swift),
// and the float fused multiply-add both use to follow torch's kernels.
// Mirrors torch.optim.Optimizer's split between `param_groups` (settings) and `state`
// (per-parameter step counts and buffers, named as in torch's state_dict: `exp_avg`,
// `exp_avg_sq`, `max_exp_avg_sq`, `momentum_buffer`). Unlike torch, state is keyed by the
// parameter's name rather than by its position, so a checkpoint survives a regrouping.
// Steps run with the tape off and write parameters in place; nothing is recorded.

/// An optimizer over named parameter groups.
///
///     let opt = try AdamW(ParameterGroup.split(params, lr: 1e-3, weightDecay: 0.01,
///                                              noDecay: ParameterGroup.isBiasOrNorm))
///     loss.backward()
///     clipGradNorm(opt.parameters, maxNorm: 1.0)
///     opt.step()
///     opt.zeroGrad()
public protocol Optimizer: AnyObject {
    /// The parameter groups, with their current learning rates.
    var groups: [ParameterGroup] { get }

    /// Sets group `index`'s learning rate (what a scheduler does each step).
    func setLearningRate(_ lr: Double, group index: Int)

    /// One update of every trainable parameter (see `NamedParameter.isTrainable`) from its `grad`.
    func step()

    /// A copy of the per-parameter state (step counts and buffers), keyed by parameter name.
    func exportState() -> OptimizerState

    /// Replaces the per-parameter state with `state` (copied). Throws if a name is unknown,
    /// a buffer is missing or misnamed, or a buffer's shape differs from its parameter's.
    func importState(_ state: OptimizerState) throws
}

extension Optimizer {
    /// All parameters of all groups, in group order.
    public var parameters: [NamedParameter] { groups.flatMap(\.parameters) }

    /// Drops every parameter's gradient (torch's `zero_grad(set_to_none=True)`, its default).
    public func zeroGrad() {
        for p in parameters { p.tensor.zeroGrad() }
    }
}

/// a·b + c rounded once to Float32, the result of torch's fused `fmadd` kernels. Built with the FMA target
/// feature (`-D ALIGNKIT_FMA`, which scripts/swift-flags passes with `-target-cpu haswell`) it is the fma
/// instruction, the same one AdamW's vector loop uses. Without it, `Float.addingProduct` would be a libm
/// call per element, ~8× slower, so it is computed through Float64: the product of two Floats is exact in
/// a Double, so only the sum rounds twice (to 53 bits, then to 24). That differs from a true fma only when
/// the exact sum lies within 2⁻⁵³ of a Float32 rounding midpoint, about once in 2²⁸ random cases.
@inline(__always)
func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    #if ALIGNKIT_FMA
    return c.addingProduct(a, b)
    #else
    return Float(Double(a) * Double(b) + Double(c))
    #endif
}
