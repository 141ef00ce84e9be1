// Optimizer: the protocol AdamW and SGD share, and the state they export for exact resume.
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

/// One parameter's optimizer state: how many updates it has had and its buffers by torch's names.
public struct ParameterState {
    /// Number of updates applied to this parameter (torch's `state["step"]`; SGD keeps none: 0).
    public var step: Int
    /// Buffers by name, each shaped like the parameter.
    public var buffers: [String: Tensor]

    public init(step: Int, buffers: [String: Tensor]) {
        self.step = step
        self.buffers = buffers
    }
}

/// An optimizer's per-parameter state, keyed by parameter name. Parameters that were never
/// updated have no entry (as in torch, whose state is created on a parameter's first update).
public struct OptimizerState {
    /// State by parameter name.
    public var parameters: [String: ParameterState]

    public init(parameters: [String: ParameterState]) {
        self.parameters = parameters
    }
}

extension OptimizerState {
    /// Checks `self` against the optimizer's parameters and returns copied buffers per name.
    /// `required` lists the buffer names each entry must hold (and no others).
    func validated(for params: [NamedParameter], required: Set<String>,
                   op: String) throws -> [String: ParameterState] {
        let byName = Dictionary(params.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        var out: [String: ParameterState] = [:]
        for (name, entry) in parameters {
            guard let tensor = byName[name] else {
                throw TensorError.invalidArgument(op: op, argument: "state for unknown parameter '\(name)'",
                                                  expected: "one of the optimizer's parameter names")
            }
            guard Set(entry.buffers.keys) == required else {
                throw TensorError.invalidArgument(
                    op: op, argument: "buffers \(entry.buffers.keys.sorted()) for '\(name)'",
                    expected: "exactly \(required.sorted())")
            }
            guard entry.step >= 0 else {
                throw TensorError.invalidArgument(op: op, argument: "step \(entry.step) for '\(name)'",
                                                  expected: "a count ≥ 0")
            }
            var copies: [String: Tensor] = [:]
            for (key, buffer) in entry.buffers {
                guard buffer.shape == tensor.shape else {
                    throw TensorError.shapeMismatch(op: "\(op) '\(name)'.\(key)", shapes: [buffer.shape, tensor.shape],
                                                    expected: "the parameter's shape")
                }
                copies[key] = buffer.copy()
            }
            out[name] = ParameterState(step: entry.step, buffers: copies)
        }
        return out
    }

    /// A deep copy (buffers copied), so exported state never aliases live buffers.
    func copied() -> OptimizerState {
        OptimizerState(parameters: parameters.mapValues {
            ParameterState(step: $0.step, buffers: $0.buffers.mapValues { $0.copy() })
        })
    }
}

/// a·b + c rounded once to Float32, the result of torch's fused `fmadd` kernels, computed through
/// Float64: the product of two Floats is exact in a Double, so only the sum rounds twice (to 53
/// bits, then to 24). That differs from a true fma only when the exact sum lies within 2⁻⁵³ of
/// a Float32 rounding midpoint, about once in 2²⁸ random cases. Why not `Float.addingProduct`:
/// without the FMA target feature (Swift builds for baseline x86-64) it becomes a libm call per
/// element, ~8× slower than this, which vectorizes.
@inline(__always)
func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    Float(Double(a) * Double(b) + Double(c))
}
