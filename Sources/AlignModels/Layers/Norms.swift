// Norm layers: RMSNorm (Llama family) and LayerNorm (GPT-2) over the last dimension,
// wrapping AlignTensor's fused kernels. Checkpoint names: `weight` (and `bias` for LayerNorm).
import AlignTensor

/// Which normalization a decoder uses, with its epsilon.
public enum NormKind: Sendable, Equatable {
    case rms(eps: Float)
    case layer(eps: Float)
}

/// A normalization layer over the last dimension C.
public final class Norm: Module {
    public let kind: NormKind
    /// [C] scale (initialized to 1).
    public var weight: Tensor
    /// [C] shift, LayerNorm only.
    public var bias: Tensor?

    public init(dimension: Int, kind: NormKind) {
        self.kind = kind
        weight = Tensor(repeating: 1, shape: [dimension])
        if case .layer = kind { bias = Tensor(zeros: [dimension]) }
    }

    /// x [..., C] → [..., C].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch kind {
        case .rms(let eps): return x.rmsNorm(weight: weight, eps: eps)
        case .layer(let eps): return x.layerNorm(weight: weight, bias: bias, eps: eps)
        }
    }

    public func namedParameters() -> [(String, Tensor)] {
        var p = [("weight", weight)]
        if let bias { p.append(("bias", bias)) }
        return p
    }
}
