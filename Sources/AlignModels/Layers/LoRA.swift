// LoRAAdapter: PEFT's LoRA for a Linear (Hu et al. 2021, arXiv 2106.09685; peft 0.21 LoraLayer):
// Δy = dropout(x)·Aᵀ·Bᵀ·(α/r), A initialized like nn.Linear's kaiming_uniform(a=√5) — i.e.
// U(−1/√in, 1/√in) — and B = 0, so an attached adapter starts as the identity update.
// rsLoRA scaling α/√r is an option, as in PEFT's `use_rslora`.
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

    /// x [..., in] → the update [..., out].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var input = x
        if dropout > 0 && training, var g = generator {
            input = x.dropout(p: dropout, generator: &g)
            generator = g
        }
        let h = Tensor.matmul(input, a, transposeB: true)       // [..., r]
        return Tensor.matmul(h, b, transposeB: true) * scaling  // [..., out]
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
