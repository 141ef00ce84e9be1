// Autograd: define-by-run reverse mode. An op records a GradNode on its output only when
// gradients are enabled and some input needs one, so inference pays one branch per op.
// Backward walks the recorded graph in reverse topological order and accumulates.
// Memory: a node refers to its inputs' nodes (or to leaf tensors), never to a non-leaf input tensor
// itself, so an activation stays alive only if some op's backward closure captured it (as PyTorch's
// saved tensors); and each node drops its closure once backward has run it, so activations are freed
// layer by layer during the backward instead of all at its end.
import Foundation

/// Where one input of a recorded op sends its gradient: the op that produced it, and/or the tensor
/// itself when that tensor accumulates a gradient (a leaf, or a recorded tensor with `requiresGrad`).
struct GradEdge {
    let node: GradNode?
    let tensor: Tensor?
    let shape: [Int]

    /// The vertex this edge leads to in the backward graph (its node, else its leaf tensor).
    var id: ObjectIdentifier? { node.map(ObjectIdentifier.init) ?? tensor.map(ObjectIdentifier.init) }
}

/// One recorded op: edges to its inputs and the function mapping the output's gradient to theirs.
final class GradNode {
    /// One per input; nil where the input needed no gradient when the op was recorded.
    private(set) var inputs: [GradEdge?]
    /// Given dL/d(output), returns dL/d(input) for each input (nil where none is needed); nil once run.
    private(set) var backward: ((Tensor) -> [Tensor?])?
    let op: String

    init(op: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs.map { t in
            guard t.needsGrad else { return nil }
            return GradEdge(node: t.node, tensor: t.node == nil || t.requiresGrad ? t : nil, shape: t.shape)
        }
        self.backward = backward
    }

    /// False once backward has run this node (its saved tensors are released).
    var isLive: Bool { backward != nil }

    /// Drops the closure (and with it the tensors it saved) and the edges.
    func release() {
        backward = nil
        inputs = []
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
    public var needsGrad: Bool { requiresGrad || node?.isLive == true }

    /// Attaches `backward` to `out` if recording is on and any input needs a gradient. Returns `out`.
    /// Every op — primitive or fused — goes through here.
    @discardableResult
    static func record(_ op: String, _ out: Tensor, _ inputs: [Tensor],
                       backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        if Profile.isEnabled { Profile.markForward(op) }
        guard inputs.contains(where: { $0.needsGrad }), Autograd.isEnabled else { return out }
        out.node = GradNode(op: op, inputs: inputs, backward: backward)
        return out
    }

    /// Backpropagates from this tensor. With no `gradient`, the tensor must hold one element and
    /// the seed is 1. Leaves with `requiresGrad` accumulate into `grad`; the graph is released as it is
    /// walked (each node right after it has run).
    public func backward(_ gradient: Tensor? = nil) {
        precondition(gradient != nil || count == 1,
                     "backward(): tensor of shape \(shape) is not a scalar; pass its gradient")
        let seed = gradient ?? Tensor(repeating: 1, shape: shape)
        precondition(seed.shape == shape, "backward(): gradient shape \(seed.shape) for tensor \(shape)")
        guard needsGrad else { return }
        let root = GradEdge(node: node?.isLive == true ? node : nil, tensor: requiresGrad || node?.isLive != true ? self : nil,
                            shape: shape)
        let order = Self.topologicalOrder(from: root)
        var grads: [ObjectIdentifier: Tensor] = [:]
        if let id = root.id { grads[id] = seed }
        Profile.inBackward = Profile.isEnabled
        defer { Profile.inBackward = false; Profile.resetMark() }
        Autograd.withoutGrad {
            for edge in order.reversed() {
                guard let id = edge.id, var g = grads.removeValue(forKey: id) else { continue }
                if let node = edge.node, let backward = node.backward {
                    let inGrads = Profile.measure("bwd " + node.op) { backward(g) }
                    Profile.measure("bwd accumulate") {
                        for (input, ig) in zip(node.inputs, inGrads) {
                            guard let ig, let input, let inputID = input.id else { continue }
                            precondition(ig.shape == input.shape,
                                         "\(node.op) backward: gradient \(ig.shape) for input \(input.shape)")
                            if var prev = grads.removeValue(forKey: inputID) {
                                // In place when nothing else holds prev: one buffer less and a write less per add.
                                if Tensor.isUniquelyOwned(&prev) { prev.addInPlace(ig) } else { prev = prev + ig }
                                grads[inputID] = prev
                            } else {
                                grads[inputID] = ig
                            }
                        }
                    }
                    Profile.measure("bwd release") { node.release() }
                }
                if let t = edge.tensor, t.requiresGrad { Profile.measure("bwd accumulateGrad") { t.accumulateGrad(&g) } }
            }
        }
        for edge in order { edge.node?.release() }
        node = nil
    }

    /// Adds `g` into `grad` (allocating it on first use): gradients accumulate across backward calls.
    func accumulateGrad(_ g: inout Tensor) {
        if let existing = grad {
            existing.addInPlace(g)
        } else if Tensor.isUniquelyOwned(&g), g.node == nil {
            grad = g  // nothing else refers to it or its storage: adopted, not copied (0.5 GB a step at 135M)
        } else {
            grad = g.copy()  // a view of another gradient or of the seed, or held elsewhere
        }
    }

    /// self += g elementwise (same shape), over the worker pool.
    func addInPlace(_ g: Tensor) {
        withUnsafeMutableBuffer { d in g.withUnsafeBuffer { s in
            guard let dp = d.baseAddress, let sp = s.baseAddress else { return }
            Parallel.forRanges(d.count, costPerItem: 1) { r in
                for i in r { dp[i] += sp[i] }
            }
        } }
    }

    /// Drops the accumulated gradient.
    public func zeroGrad() { grad = nil }

    /// Vertices reachable from `root` through live nodes, each after all of its inputs (iterative DFS,
    /// inputs visited in op order).
    private static func topologicalOrder(from root: GradEdge) -> [GradEdge] {
        var order: [GradEdge] = []
        var seen = Set<ObjectIdentifier>()
        var stack: [(GradEdge, Bool)] = [(root, false)]
        while let (e, expanded) = stack.popLast() {
            if expanded { order.append(e); continue }
            guard let id = e.id, !seen.contains(id) else { continue }
            seen.insert(id)
            stack.append((e, true))
            guard let node = e.node, node.isLive else { continue }
            for case let input? in node.inputs where input.node?.isLive == true || input.tensor?.requiresGrad == true {
                if let inputID = input.id, !seen.contains(inputID) { stack.append((input, false)) }
            }
        }
        return order
    }
}

extension Tensor {
    /// True when the caller's reference is the only one to this tensor and the tensor is its storage's only
    /// user (no view shares it): a gradient the tape may then write in place or hand to `grad` as is.
    static func isUniquelyOwned(_ t: inout Tensor) -> Bool {
        isKnownUniquelyReferenced(&t) && isKnownUniquelyReferenced(&t.storage)
    }
}
