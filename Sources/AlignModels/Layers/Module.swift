// Module: the one protocol every layer conforms to — parameters listed under their checkpoint
// names, so loading, saving, freezing and optimizers see the same keys transformers writes.
import AlignTensor

/// A layer whose parameters are keyed by checkpoint names (relative to the layer).
public protocol Module: AnyObject {
    /// (name, tensor) for every parameter, e.g. `("q_proj.weight", W)`; children prefix their own names.
    func namedParameters() -> [(String, Tensor)]
}

extension Module {
    /// All parameter tensors.
    public var parameters: [Tensor] { namedParameters().map(\.1) }

    /// Sets `requiresGrad` on every parameter (false freezes the module).
    public func setTrainable(_ trainable: Bool) {
        for (_, p) in namedParameters() { p.requiresGrad = trainable }
    }
}

/// Prefixes a child's names: `prefixed("self_attn", attn.namedParameters())`.
public func prefixed(_ prefix: String, _ params: [(String, Tensor)]) -> [(String, Tensor)] {
    params.map { ("\(prefix).\($0.0)", $0.1) }
}
