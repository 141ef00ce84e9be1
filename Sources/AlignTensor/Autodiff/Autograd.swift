// Autograd: define-by-run reverse mode. An op records a GradNode on its output only when
// gradients are enabled and some input needs one, so inference pays one branch per op.
// Backward walks the recorded graph in reverse topological order and accumulates.
import Foundation

/// One recorded op: its inputs and the function mapping the output's gradient to theirs.
final class GradNode {
    let inputs: [Tensor]
    /// Given dL/d(output), returns dL/d(input) for each input (nil where none is needed).
    let backward: (Tensor) -> [Tensor?]
    let op: String

    init(op: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
    }
}

/// Gradient mode, per thread (like `torch.no_grad`).
public enum Autograd {
    private static let key = "AlignTensor.Autograd.disabled"

    /// Whether ops record on the tape on this thread.
    public static var isEnabled: Bool {
        Thread.current.threadDictionary[key] == nil
    }

    /// Runs `body` with recording off on this thread (inference, optimizer steps, backward itself).
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        let dict = Thread.current.threadDictionary
        let was = dict[key]
        dict[key] = true
        defer { dict[key] = was }
        return try body()
    }
}

extension Tensor {
    /// True when this tensor is a leaf that wants a gradient or the output of a recorded op.
    public var needsGrad: Bool { requiresGrad || node != nil }

    /// Attaches `backward` to `out` if recording is on and any input needs a gradient. Returns `out`.
    /// Every op — primitive or fused — goes through here.
    @discardableResult
    static func record(_ op: String, _ out: Tensor, _ inputs: [Tensor],
                       backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard inputs.contains(where: { $0.needsGrad }), Autograd.isEnabled else { return out }
        out.node = GradNode(op: op, inputs: inputs, backward: backward)
        return out
    }

    /// Backpropagates from this tensor. With no `gradient`, the tensor must hold one element and
    /// the seed is 1. Leaves with `requiresGrad` accumulate into `grad`; the graph is released.
    public func backward(_ gradient: Tensor? = nil) {
        precondition(gradient != nil || count == 1,
                     "backward(): tensor of shape \(shape) is not a scalar; pass its gradient")
        let seed = gradient ?? Tensor(repeating: 1, shape: shape)
        precondition(seed.shape == shape, "backward(): gradient shape \(seed.shape) for tensor \(shape)")
        let order = topologicalOrder()
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        Autograd.withoutGrad {
            for t in order.reversed() {
                guard let g = grads.removeValue(forKey: ObjectIdentifier(t)) else { continue }
                if let node = t.node {
                    let inGrads = node.backward(g)
                    for (input, ig) in zip(node.inputs, inGrads) {
                        guard let ig, input.needsGrad else { continue }
                        precondition(ig.shape == input.shape,
                                     "\(node.op) backward: gradient \(ig.shape) for input \(input.shape)")
                        let id = ObjectIdentifier(input)
                        if let prev = grads[id] { grads[id] = prev + ig } else { grads[id] = ig }
                    }
                }
                if t.requiresGrad { t.accumulateGrad(g) }
            }
        }
        for t in order { t.node = nil }
    }

    /// Adds `g` into `grad` (allocating it on first use): gradients accumulate across backward calls.
    func accumulateGrad(_ g: Tensor) {
        if let existing = grad {
            existing.withUnsafeMutableBuffer { d in g.withUnsafeBuffer { s in
                for i in 0 ..< d.count { d[i] += s[i] }
            } }
        } else {
            // Copy: `g` may be a view of another gradient or of the seed.
            grad = g.copy()
        }
    }

    /// Drops the accumulated gradient.
    public func zeroGrad() { grad = nil }

    /// Tensors reachable through recorded nodes, each after all of its inputs (iterative DFS).
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var seen = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded { order.append(t); continue }
            let id = ObjectIdentifier(t)
            if seen.contains(id) { continue }
            seen.insert(id)
            stack.append((t, true))
            for input in t.node?.inputs ?? [] where input.needsGrad && !seen.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }
}
