// DPOConfig: the DPO family's configuration, mirroring TRL 1.16's DPOConfig fields and defaults
// (trl/trainer/dpo_config.py), decodable from TRL-style snake_case JSON/YAML.

/// The per-sequence loss of the DPO family. Raw values are TRL's `loss_type` strings.
public enum DPOLossType: String, Codable, CaseIterable, Sendable {
    /// −log σ(βΔ): DPO (Rafailov et al. 2023, arXiv 2305.18290).
    case sigmoid
    /// max(0, 1 − βΔ): SLiC/RSO hinge on reference-normalized ratios.
    case hinge
    /// (Δ̄ − 1/(2β))² on per-token-averaged log-ratios: IPO (Azar et al., arXiv 2310.12036, Eq. 17).
    case ipo
    /// Reverse KL to the smoothed target [1−ε, ε]: EXO pairwise (Ji et al., arXiv 2402.00856, Eq. 16).
    case exoPair = "exo_pair"
    /// NCA pairwise (Chen et al., arXiv 2402.05369).
    case ncaPair = "nca_pair"
    /// Unbiased under label noise ε: robust DPO (Chowdhury et al., arXiv 2403.00409).
    case robust
    /// −log σ(βρ_w) − log σ(−βρ_l): BCO on pairs, TRL 1.16 form without reward shift (arXiv 2404.04656).
    case bcoPair = "bco_pair"
    /// Hard-label SPPO (Wu et al., arXiv 2405.00675).
    case sppoHard = "sppo_hard"
    /// Quantile-matched log-ratios: AOT paired (Melnyk et al., arXiv 2406.05882).
    case aot
    /// AOT with chosen and rejected ratios sorted separately.
    case aotUnpaired = "aot_unpaired"
    /// Anchored PO, zero anchor (D'Oosterlinck et al., arXiv 2408.06266, Eq. 7).
    case apoZero = "apo_zero"
    /// Anchored PO, down anchor (Eq. 8).
    case apoDown = "apo_down"
    /// DiscoPOP / LRML blend (Lu et al., arXiv 2406.08414, Eq. 5).
    case discopop
    /// Token-mean NLL of the chosen completions (TRL's `sft` term; RPO and MPO mix it in).
    case sft
    /// −log σ(β·(ρ_w/|y_w| − ρ_l/|y_l|)): LN-DPO (Ahrabian et al., arXiv 2407.15229).
    case sigmoidNorm = "sigmoid_norm"
    // Not in TRL 1.16 (AlignKit additions, see training-objectives.md §1.3, §1.7, §1.16):
    /// −(1−ε)·log σ(βΔ) − ε·log σ(−βΔ): conservative DPO (TRL ≤ 0.28's `sigmoid` with label smoothing).
    case cdpo
    /// IPO on summed (not length-averaged) log-ratios: the IPO paper's literal form.
    case ipoSum = "ipo_sum"
    /// Per-example summed NLL of the chosen completion: with weight η·β this is RPO's paper form
    /// (Liu et al. 2024, arXiv 2405.16436): `loss_type: [sigmoid, sft_sum], loss_weights: [1, η·β]`.
    case sftSum = "sft_sum"
}

/// The f-divergence whose derivative f′(π/π_ref) replaces log-ratios (f-DPO, Wang et al., arXiv 2309.16240).
public enum FDivergenceType: String, Codable, Sendable {
    case reverseKL = "reverse_kl", forwardKL = "forward_kl", jsDivergence = "js_divergence"
    case alphaDivergence = "alpha_divergence"
}

/// DPO-family settings. Defaults are TRL 1.16's: β 0.1, `["sigmoid"]`, reverse KL, α 0.5, τ 0.05.
/// `f_alpha_divergence_coef` is TRL 1.16's α, which equals 1 − α of the f-DPO paper (they agree at 0.5).
public struct DPOConfig: Codable, Sendable, Equatable {
    public var beta: Double = 0.1
    public var lossType: [DPOLossType] = [.sigmoid]
    /// Per-loss weights; nil means 1 for each.
    public var lossWeights: [Double]?
    /// ε: label-flip rate for `robust`, target smoothing for `exo_pair` (must be > 0) and `aot*`.
    public var labelSmoothing: Double = 0
    public var fDivergenceType: FDivergenceType = .reverseKL
    public var fAlphaDivergenceCoef: Double = 0.5
    /// LD-DPO's α ∈ [0, 1] for the tail of the longer response; nil disables it.
    public var ldAlpha: Double?
    /// WPO weighting (Zhou et al., arXiv 2406.11827): needs `logSumSquaredProbs` in the batch.
    public var useWeighting: Bool = false
    public var discopopTau: Double = 0.05

    enum CodingKeys: String, CodingKey {
        case beta, lossType = "loss_type", lossWeights = "loss_weights", labelSmoothing = "label_smoothing"
        case fDivergenceType = "f_divergence_type", fAlphaDivergenceCoef = "f_alpha_divergence_coef"
        case ldAlpha = "ld_alpha", useWeighting = "use_weighting", discopopTau = "discopop_tau"
    }

    public init() {}

    /// Decodes TRL-style keys; absent keys keep TRL's defaults; `loss_type` may be one string or a list.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DPOConfig()
        beta = try c.decodeIfPresent(Double.self, forKey: .beta) ?? d.beta
        if let one = try? c.decodeIfPresent(DPOLossType.self, forKey: .lossType) {
            lossType = [one]
        } else {
            lossType = try c.decodeIfPresent([DPOLossType].self, forKey: .lossType) ?? d.lossType
        }
        lossWeights = try c.decodeIfPresent([Double].self, forKey: .lossWeights)
        labelSmoothing = try c.decodeIfPresent(Double.self, forKey: .labelSmoothing) ?? d.labelSmoothing
        fDivergenceType = try c.decodeIfPresent(FDivergenceType.self, forKey: .fDivergenceType) ?? d.fDivergenceType
        fAlphaDivergenceCoef = try c.decodeIfPresent(Double.self, forKey: .fAlphaDivergenceCoef) ?? d.fAlphaDivergenceCoef
        ldAlpha = try c.decodeIfPresent(Double.self, forKey: .ldAlpha)
        useWeighting = try c.decodeIfPresent(Bool.self, forKey: .useWeighting) ?? d.useWeighting
        discopopTau = try c.decodeIfPresent(Double.self, forKey: .discopopTau) ?? d.discopopTau
        try validate()
    }

    /// Cross-field checks, as TRL's `__post_init__` and trainer init do.
    public func validate() throws {
        if beta <= 0 { throw TrainingError.invalidConfig(field: "beta", value: "\(beta)", expected: "> 0") }
        if lossType.isEmpty { throw TrainingError.invalidConfig(field: "loss_type", value: "[]", expected: "at least one loss") }
        if let w = lossWeights, w.count != lossType.count {
            throw TrainingError.invalidConfig(field: "loss_weights", value: "\(w)", expected: "\(lossType.count) weights, one per loss_type")
        }
        if lossType.contains(.exoPair) && labelSmoothing <= 0 {
            throw TrainingError.invalidConfig(field: "label_smoothing", value: "\(labelSmoothing)", expected: "> 0 for exo_pair (1e-3 recommended)")
        }
        if lossType.contains(.robust) && !(0 ..< 0.5).contains(labelSmoothing) {
            throw TrainingError.invalidConfig(field: "label_smoothing", value: "\(labelSmoothing)", expected: "in [0, 0.5) for robust")
        }
        if let a = ldAlpha, !(0 ... 1).contains(a) {
            throw TrainingError.invalidConfig(field: "ld_alpha", value: "\(a)", expected: "in [0, 1]")
        }
        let fCompatible: Set<DPOLossType> = [.sigmoid, .sigmoidNorm, .hinge, .ipo, .exoPair, .robust, .discopop, .sft]
        if fDivergenceType != .reverseKL, let bad = lossType.first(where: { !fCompatible.contains($0) }) {
            throw TrainingError.invalidConfig(field: "f_divergence_type", value: fDivergenceType.rawValue,
                                              expected: "reverse_kl with loss_type \(bad.rawValue)")
        }
        if useWeighting, let bad = lossType.first(where: { $0 == .aot || $0 == .aotUnpaired }) {
            throw TrainingError.invalidConfig(field: "use_weighting", value: "true", expected: "false with \(bad.rawValue) (sorting breaks pairing)")
        }
    }
}
