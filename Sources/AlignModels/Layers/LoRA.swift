// LoRAAdapter: PEFT's LoRA for a Linear (Hu et al. 2021, arXiv 2106.09685; peft 0.21 LoraLayer):
// Δy = dropout(x)·Aᵀ·Bᵀ·(α/r), A initialized like nn.Linear's kaiming_uniform(a=√5) — i.e.
// U(−1/√in, 1/√in) — and B = 0, so an attached adapter starts as the identity update.
// rsLoRA scaling α/√r is an option, as in PEFT's `use_rslora`. An adapted Linear runs the base product and
// the update as one fused op (Tensor.loraLinear); `callAsFunction` keeps the composed form as its reference.
import AlignTensor

/// The trainable low-rank update of one projection.
public final class LoRAAdapter: Module {
    /// lora_A: [r, in].
    public var a: Tensor
    /// lora_B: [out, r].
    public var b: Tensor
    public let rank: Int
    public let alpha: Float
    public let scaling: Float
    public let dropout: Float
    /// Seeded stream for dropout masks; nil when dropout is 0.
    public var generator: RandomGenerator?
    /// When false (evaluation), dropout is skipped.
    public var training = true
    /// When false the layer computes its base product only (PEFT's `disable_adapter()`; see
    /// `DecoderModel.withLoRADisabled`).
    public var isEnabled = true

    public init(inFeatures: Int, outFeatures: Int, rank: Int, alpha: Float, dropout: Float = 0,
                useRSLoRA: Bool = false, generator: inout RandomGenerator) {
        precondition(rank > 0, "LoRA rank must be > 0")
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        scaling = useRSLoRA ? alpha / Float(rank).squareRoot() : alpha / Float(rank)
        let bound = 1 / Float(inFeatures).squareRoot()  // kaiming_uniform(a=√5) on [r, in]
        a = Tensor.uniform([rank, inFeatures], low: -bound, high: bound, generator: &generator)
        b = Tensor(zeros: [outFeatures, rank])
        self.generator = dropout > 0 ? generator.fork() : nil
        a.requiresGrad = true
        b.requiresGrad = true
    }

    /// x [..., in] → the update [..., out], composed from plain ops: the readable reference that
    /// `forward(_:base:transposeWeight:)` is tested against.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let input = adapterInput(x) ?? x
        let h = Tensor.matmul(input, a, transposeB: true)       // [..., r]
        return Tensor.matmul(h, b, transposeB: true) * scaling  // [..., out]
    }

    /// x·op(W) + the update, as one recorded op (`Tensor.loraLinear`): what an adapted Linear computes.
    /// - Parameters:
    ///   - x: [..., in].
    ///   - weight: the frozen base weight, [out, in] when `transposeWeight` (nn.Linear), else [in, out] (Conv1D).
    /// - Returns: [..., out].
    public func forward(_ x: Tensor, base weight: Tensor, transposeWeight: Bool) -> Tensor {
        Tensor.loraLinear(x, weight: weight, transposeWeight: transposeWeight, a: a, b: b, scaling: scaling,
                          adapterInput: adapterInput(x))
    }

    /// dropout(x) when dropout is on and training (advancing the seeded stream), else nil (the input is x).
    func adapterInput(_ x: Tensor) -> Tensor? {
        guard dropout > 0 && training, var g = generator else { return nil }
        let out = x.dropout(p: dropout, generator: &g)
        generator = g
        return out
    }

    /// PEFT names: `lora_A.weight`, `lora_B.weight` (the adapter file adds the module path).
    public func namedParameters() -> [(String, Tensor)] {
        [("lora_A.weight", a), ("lora_B.weight", b)]
    }

    /// ΔW = B·A·scaling, [out, in]: what merging adds to an nn.Linear weight.
    public func deltaWeight() -> Tensor {
        Autograd.withoutGrad { Tensor.matmul(b, a) * scaling }
    }
}

extension Linear {
    /// Adds the adapter's update into `weight` and detaches the adapter (PEFT's merge_and_unload).
    public func mergeLoRA() {
        guard let lora else { return }
        let delta = lora.deltaWeight()
        Autograd.withoutGrad {
            weight.assign(layout == .outIn ? weight + delta : weight + delta.transposed())
        }
        self.lora = nil
    }
}
