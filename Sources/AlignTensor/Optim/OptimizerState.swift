// OptimizerState: what an optimizer exports for exact resume — per parameter name, the number
// of updates and the buffers under torch's state_dict names — plus a flat view
// (`"<parameter>.<buffer>"` → tensor, and step counts) that a checkpoint writer can store as
// safetensors beside the model. Validation on import names the parameter and buffer at fault.

/// One parameter's optimizer state: how many updates it has had and its buffers by torch's names.
public struct ParameterState {
    /// Number of updates applied to this parameter (torch's `state["step"]`; torch's SGD keeps no count, AlignKit's does).
    public var step: Int
    /// Buffers by name, each shaped like the parameter.
    public var buffers: [String: Tensor]

    /// State after `step` updates with the given buffers (each shaped like the parameter).
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

    /// State from per-parameter entries keyed by parameter name.
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

extension OptimizerState {
    /// Every buffer under `"<parameter name>.<buffer name>"` (e.g. `"lm_head.weight.exp_avg"`),
    /// sharing storage with this state. Buffer names contain no dot, so the split is unambiguous.
    public var flatTensors: [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, entry) in parameters {
            for (key, buffer) in entry.buffers { out["\(name).\(key)"] = buffer }
        }
        return out
    }

    /// Update counts by parameter name.
    public var steps: [String: Int] { parameters.mapValues(\.step) }

    /// Rebuilds a state from `flatTensors` and `steps`. Throws if a tensor key has no dot or
    /// names a parameter without a step count, or a step count has no tensors and is not 0.
    public init(flatTensors: [String: Tensor], steps: [String: Int]) throws {
        var entries: [String: ParameterState] = steps.mapValues { ParameterState(step: $0, buffers: [:]) }
        for (key, tensor) in flatTensors {
            guard let dot = key.lastIndex(of: "."), dot != key.startIndex else {
                throw TensorError.invalidArgument(op: "OptimizerState", argument: "tensor key '\(key)'",
                                                  expected: "'<parameter>.<buffer>'")
            }
            let name = String(key[..<dot]), buffer = String(key[key.index(after: dot)...])
            guard entries[name] != nil else {
                throw TensorError.invalidArgument(op: "OptimizerState", argument: "tensor '\(key)'",
                                                  expected: "a step count for parameter '\(name)'")
            }
            entries[name]?.buffers[buffer] = tensor
        }
        self.init(parameters: entries)
    }
}
