// ParameterGroup: named parameters that share a learning rate and a weight decay, as in
// torch.optim's `param_groups` (https://pytorch.org/docs/2.15/optim.html#per-parameter-options).
// The usual split is "decay" vs "no-decay" (biases and norm weights, following the GPT-2 /
// transformers Trainer convention), formed here by a predicate on the parameter's name.
// Left out: per-group overrides of other hyperparameters (betas, eps, momentum), which AlignKit
// keeps per optimizer.

/// A parameter tensor with the stable name its optimizer state is filed under (usually its
/// checkpoint key, e.g. `model.layers.0.self_attn.q_proj.weight`).
public struct NamedParameter {
    /// Stable name; optimizer state is exported and imported under it.
    public let name: String
    /// The parameter, updated in place by the optimizer.
    public let tensor: Tensor

    /// Pairs `tensor` with the name its state is filed under.
    public init(_ name: String, _ tensor: Tensor) {
        self.name = name
        self.tensor = tensor
    }

    /// Whether an optimizer step touches this parameter: it must want a gradient and have one.
    /// PyTorch skips parameters whose `grad is None`; frozen parameters (`requiresGrad == false`)
    /// are skipped too, even if a stale gradient is attached.
    public var isTrainable: Bool { tensor.requiresGrad && tensor.grad != nil }
}

/// Parameters that share a learning rate and a weight decay (one of torch's `param_groups`).
public struct ParameterGroup {
    /// The group's parameters, in order.
    public let parameters: [NamedParameter]
    /// The current learning rate; a scheduler rewrites it every step.
    public var lr: Double
    /// Weight decay coefficient (decoupled for AdamW, L2 added to the gradient for SGD).
    public var weightDecay: Double

    /// A group of `parameters` with its own learning rate and weight decay. The weight decay
    /// defaults to 0 here; `AdamW(_:lr:weightDecay:)` builds one group with torch's 1e-2.
    public init(_ parameters: [NamedParameter], lr: Double, weightDecay: Double = 0) {
        self.parameters = parameters
        self.lr = lr
        self.weightDecay = weightDecay
    }

    /// Splits `parameters` into a decay group and a no-decay group (in that order; an empty
    /// group is dropped). `noDecay` picks the no-decay ones, e.g. `ParameterGroup.isBiasOrNorm`.
    ///
    ///     let groups = ParameterGroup.split(model.namedParameters, lr: 5e-5, weightDecay: 0.01,
    ///                                       noDecay: ParameterGroup.isBiasOrNorm)
    public static func split(_ parameters: [NamedParameter], lr: Double, weightDecay: Double,
                             noDecay: (NamedParameter) -> Bool) -> [ParameterGroup] {
        let decayed = parameters.filter { !noDecay($0) }
        let undecayed = parameters.filter { noDecay($0) }
        var groups: [ParameterGroup] = []
        if !decayed.isEmpty { groups.append(ParameterGroup(decayed, lr: lr, weightDecay: weightDecay)) }
        if !undecayed.isEmpty { groups.append(ParameterGroup(undecayed, lr: lr, weightDecay: 0)) }
        return groups
    }

    /// The common no-decay rule: biases and normalization weights, recognized by name
    /// (`…bias`, `…norm…`, `…ln_…`) or by being 1-D. This mirrors the transformers Trainer,
    /// which excludes `bias` and LayerNorm/RMSNorm weights from weight decay.
    public static func isBiasOrNorm(_ p: NamedParameter) -> Bool {
        let name = p.name.lowercased()
        return name.hasSuffix("bias") || name.contains("norm") || name.contains("ln_") || p.tensor.rank <= 1
    }
}

extension ParameterGroup {
    /// Checks a list of groups: every name unique, no tensor in two places, finite lr ≥ 0 and
    /// weight decay ≥ 0 (torch raises ValueError for the same). `op` names the optimizer.
    static func validate(_ groups: [ParameterGroup], op: String) throws {
        var names = Set<String>()
        var tensors = Set<ObjectIdentifier>()
        for (g, group) in groups.enumerated() {
            guard group.lr >= 0, group.lr.isFinite else {
                throw TensorError.invalidArgument(op: op, argument: "lr \(group.lr) in group \(g)",
                                                  expected: "a finite value ≥ 0")
            }
            guard group.weightDecay >= 0, group.weightDecay.isFinite else {
                throw TensorError.invalidArgument(op: op, argument: "weight decay \(group.weightDecay) in group \(g)",
                                                  expected: "a finite value ≥ 0")
            }
            for p in group.parameters {
                guard names.insert(p.name).inserted, tensors.insert(ObjectIdentifier(p.tensor)).inserted else {
                    throw TensorError.invalidArgument(op: op, argument: "parameter '\(p.name)' in group \(g)",
                                                      expected: "each parameter (name and tensor) in exactly one group")
                }
            }
        }
    }
}
