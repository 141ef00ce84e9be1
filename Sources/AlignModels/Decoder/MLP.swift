// MLP: the feed-forward half of a decoder block — gated (Llama: down(silu(gate(x))·up(x)))
// or plain (GPT-2: c_proj(gelu_tanh(c_fc(x)))).
import AlignTensor

/// A decoder block's feed-forward network.
public final class MLP: Module {
    public let kind: MLPKind
    public let activation: Activation
    /// gate_proj (gated only), up_proj or c_fc, down_proj or c_proj.
    public let gate: Linear?
    public let up: Linear
    public let down: Linear

    public init(spec: DecoderSpec) {
        kind = spec.mlp
        activation = spec.activation
        let layout: WeightLayout = spec.names == .gpt2 ? .inOut : .outIn
        let (c, f) = (spec.hiddenSize, spec.intermediateSize)
        gate = spec.mlp == .gated ? Linear(inFeatures: c, outFeatures: f, bias: spec.mlpBias, layout: layout) : nil
        up = Linear(inFeatures: c, outFeatures: f, bias: spec.mlpBias || spec.names == .gpt2, layout: layout)
        down = Linear(inFeatures: f, outFeatures: c, bias: spec.mlpBias || spec.names == .gpt2, layout: layout)
    }

    /// x [B, T, C] → [B, T, C].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        recordedSwiGLU(x) ?? down(hidden(x))
    }

    /// residual + self(x), with the residual added inside down_proj's rows when decoding one position.
    public func callAsFunction(_ x: Tensor, adding residual: Tensor) -> Tensor {
        if let y = recordedSwiGLU(x) { return residual + y }
        return down(hidden(x), adding: residual)
    }

    /// Training: down(silu(g)·u) as one op that recomputes silu(g)·u in its backward instead of saving
    /// [B, T, F]; nil when the tape records nothing here (inference keeps the fused row products).
    func recordedSwiGLU(_ x: Tensor) -> Tensor? {
        guard let gate, kind == .gated, activation == .silu, down.lora == nil, down.bias == nil,
              Autograd.isEnabled else { return nil }
        let trainable = x.needsGrad || gate.weight.needsGrad || up.weight.needsGrad || down.weight.needsGrad
            || gate.lora != nil || up.lora != nil
        guard trainable else { return nil }
        let gu = Linear.outputs(of: [gate, up], for: x)  // [B, T, F] each
        return Tensor.swigluLinear(gate: gu[0], up: gu[1], weight: down.weight, transposeB: down.layout == .outIn)
    }

    /// The input of the down projection: x [B, T, C] → [B, T, F]. One position's gate/up run as one fused job.
    func hidden(_ x: Tensor) -> Tensor {
        if let gate, kind == .gated {
            let gu = Linear.outputs(of: [gate, up], for: x)
            if activation == .silu { return Tensor.swiglu(gate: gu[0], up: gu[1]) }  // fused silu(g)·u
            return activate(gu[0]) * gu[1]
        }
        return activate(up(x))
    }

    func activate(_ x: Tensor) -> Tensor {
        switch activation {
        case .silu: return x.silu()
        case .geluTanh: return x.gelu(approximation: .tanh)
        case .gelu: return x.gelu(approximation: .none)
        case .relu: return x.relu()
        }
    }

    public func namedParameters() -> [(String, Tensor)] {
        if kind == .plain {
            return prefixed("c_fc", up.namedParameters()) + prefixed("c_proj", down.namedParameters())
        }
        return prefixed("gate_proj", gate?.namedParameters() ?? []) + prefixed("up_proj", up.namedParameters())
            + prefixed("down_proj", down.namedParameters())
    }

    /// The projections by checkpoint name (for LoRA targeting).
    public var projections: [(String, Linear)] {
        kind == .plain ? [("c_fc", up), ("c_proj", down)]
            : [("gate_proj", gate), ("up_proj", up), ("down_proj", down)].compactMap { n, l in l.map { (n, $0) } }
    }
}
