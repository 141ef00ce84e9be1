// Linear: y = x·Wᵀ + b with W stored as nn.Linear stores it ([out, in]), or as GPT-2's Conv1D
// stores it ([in, out]) — the layout is a flag passed to BLAS, never a copy. An optional LoRA
// adapter adds its low-rank update (PEFT's LoraLayer semantics), fused with the base product.
import AlignTensor

/// How a checkpoint stores a projection's weight.
public enum WeightLayout: Sendable {
    /// [out, in]: torch.nn.Linear (Llama, Mistral, Qwen, …).
    case outIn
    /// [in, out]: transformers' Conv1D (GPT-2's c_attn, c_proj, c_fc).
    case inOut
}

/// A dense projection with an optional bias and an optional LoRA adapter.
public final class Linear: Module {
    /// [out, in] or [in, out] per `layout`.
    public var weight: Tensor
    /// [out], or nil.
    public var bias: Tensor?
    public let layout: WeightLayout
    public let inFeatures: Int, outFeatures: Int
    /// A LoRA adapter whose update is added to the output, when attached.
    public var lora: LoRAAdapter?

    public init(inFeatures: Int, outFeatures: Int, bias: Bool, layout: WeightLayout = .outIn) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.layout = layout
        weight = Tensor(zeros: layout == .outIn ? [outFeatures, inFeatures] : [inFeatures, outFeatures])
        self.bias = bias ? Tensor(zeros: [outFeatures]) : nil
    }

    /// x [..., in] → [..., out]. With an enabled adapter the base product and the low-rank update are one
    /// recorded op (`Tensor.loraLinear`), so a frozen weight gets no gradient and no [..., out] temporaries stay
    /// on the tape; the bias is added after the update (PEFT adds the update to the biased base output: equal up
    /// to rounding).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var y: Tensor
        if let lora, lora.isEnabled {
            y = lora.forward(x, base: weight, transposeWeight: layout == .outIn)
        } else {
            y = Tensor.rowAwareMatmul(x, weight, transposeB: layout == .outIn)  // one row (decoding): sgemv
        }
        if let b = bias { y = y + b }
        return y
    }

    public func namedParameters() -> [(String, Tensor)] {
        var p = [("weight", weight)]
        if let bias { p.append(("bias", bias)) }
        return p
    }

    /// The expected checkpoint shape of `weight`.
    public var weightShape: [Int] { layout == .outIn ? [outFeatures, inFeatures] : [inFeatures, outFeatures] }
}
