// SGD: stochastic gradient descent with momentum, dampening, Nesterov momentum (Sutskever et
// al., ICML 2013, in PyTorch's formulation) and L2 weight decay added to the gradient. Ported
// from torch 2.15.0's torch/optim/sgd.py `_single_tensor_sgd`; defaults are torch's (lr 1e-3,
// momentum 0, dampening 0, weight_decay 0, nesterov false). Left out: maximize, fused/foreach.
//
// Float order, per element, as torch's CPU kernels evaluate it (`add(x, alpha=a)` is one fmadd):
//   g ← fma(p, f32(λ), g)                        grad.add(param, alpha=weight_decay)
//   b ← g on the first update, else fma(g, f32(1 − dampening), b · f32(μ))
//   g ← nesterov ? fma(b, f32(μ), g) : b
//   p ← fma(g, f32(−lr), p)                       param.add_(grad, alpha=-lr)
// The momentum buffer starts as a plain copy of the gradient (no dampening), as in torch.

/// SGD with momentum over named parameter groups; see the file header for the exact update.
///
///     let opt = try SGD([ParameterGroup(params, lr: 0.01)], momentum: 0.9, nesterov: true)
public final class SGD: Optimizer {
    public private(set) var groups: [ParameterGroup]
    /// Momentum factor μ (0 turns momentum off and keeps no state).
    public let momentum: Double
    /// Dampening for momentum: the new gradient enters the buffer scaled by 1 − dampening.
    public let dampening: Double
    /// Nesterov momentum: step along g + μ·b instead of b.
    public let nesterov: Bool
    /// `momentum_buffer` per parameter name, once the parameter has been updated.
    private var state: [String: ParameterState] = [:]

    /// Creates SGD. Throws `TensorError.invalidArgument` for settings torch rejects (negative lr,
    /// momentum or weight decay; Nesterov without momentum or with dampening).
    public init(_ groups: [ParameterGroup], momentum: Double = 0, dampening: Double = 0,
                nesterov: Bool = false) throws {
        try ParameterGroup.validate(groups, op: "SGD")
        guard momentum >= 0, momentum.isFinite, dampening.isFinite else {
            throw TensorError.invalidArgument(op: "SGD", argument: "momentum \(momentum), dampening \(dampening)",
                                              expected: "finite values, momentum ≥ 0")
        }
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw TensorError.invalidArgument(op: "SGD", argument: "nesterov with momentum \(momentum), dampening \(dampening)",
                                              expected: "momentum > 0 and dampening 0 (torch's rule)")
        }
        self.groups = groups
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
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

    public func exportState() -> OptimizerState {
        OptimizerState(parameters: state).copied()
    }

    public func importState(_ imported: OptimizerState) throws {
        let required: Set<String> = momentum != 0 ? ["momentum_buffer"] : []
        state = try imported.validated(for: parameters, required: required, op: "SGD.importState")
    }

    /// One parameter's update; the momentum buffer is created on its first update.
    private func update(_ p: NamedParameter, lr: Double, weightDecay: Double) {
        guard let grad = p.tensor.grad else { return }
        precondition(grad.shape == p.tensor.shape, "SGD: gradient \(grad.shape) for parameter '\(p.name)' \(p.tensor.shape)")
        let s = SGDScalars(weightDecay: weightDecay != 0 ? Float(weightDecay) : nil,
                           momentum: Float(momentum), keep: Float(1 - dampening),
                           nesterov: nesterov, negLR: Float(-lr))
        if momentum == 0 {
            p.tensor.withUnsafeMutableBuffer { pb in grad.withUnsafeBuffer { gb in
                SGD.kernel(pb, gb, nil, first: false, s)
            } }
            return
        }
        let existing = state[p.name]
        let buffer = existing?.buffers["momentum_buffer"] ?? Tensor(zeros: p.tensor.shape)
        state[p.name] = ParameterState(step: (existing?.step ?? 0) + 1, buffers: ["momentum_buffer": buffer])
        p.tensor.withUnsafeMutableBuffer { pb in grad.withUnsafeBuffer { gb in buffer.withUnsafeMutableBuffer { bb in
            SGD.kernel(pb, gb, bb, first: existing == nil, s)
        } } }
    }

    /// The fused elementwise update over one parameter. Shapes: all buffers [n].
    static func kernel(_ p: UnsafeMutableBufferPointer<Float>, _ grad: UnsafeBufferPointer<Float>,
                       _ buf: UnsafeMutableBufferPointer<Float>?, first: Bool, _ s: SGDScalars) {
        Parallel.forRanges(p.count, costPerItem: 8) { range in
            for i in range {
                var g = grad[i]
                if let wd = s.weightDecay { g = fusedMultiplyAdd(p[i], wd, g) }
                if let buf {
                    let b = first ? g : fusedMultiplyAdd(g, s.keep, buf[i] * s.momentum)
                    buf[i] = b
                    g = s.nesterov ? fusedMultiplyAdd(b, s.momentum, g) : b
                }
                p[i] = fusedMultiplyAdd(g, s.negLR, p[i])
            }
        }
    }
}

/// Float32 constants of one SGD update (torch rounds each Python scalar to the tensor dtype).
struct SGDScalars {
    /// λ, or nil when 0 (torch then skips the add).
    let weightDecay: Float?
    let momentum: Float
    /// 1 − dampening.
    let keep: Float
    let nesterov: Bool
    let negLR: Float
}
