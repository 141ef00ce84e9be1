// KTOLoss: Kahneman-Tversky Optimization on unpaired data (Ethayarajh et al. 2024, arXiv 2402.01306,
// Eq. 7), as trl 1.16.0 `KTOTrainer._compute_loss` computes it, plus its `apo_zero_unpaired` variant.
import AlignTensor

/// Per-token log-probs of an unpaired batch `{prompt, completion, label}` and the KL reference point's inputs.
public struct UnpairedLogps {
    /// [N, T] policy log-probs at completion positions (0 elsewhere).
    public var tokenLogps: Tensor
    /// [N, T] completion mask (constant).
    public var completionMask: Tensor
    /// True = desirable, one per row.
    public var labels: [Bool]
    /// [N] reference sequence log-probs.
    public var referenceLogps: Tensor
    /// [N] policy and reference log-probs of mismatched pairs (x_i with y_{i−1}); needed for `kto`.
    public var klPolicyLogps: Tensor?
    public var klReferenceLogps: Tensor?

    public init(tokenLogps: Tensor, completionMask: Tensor, labels: [Bool], referenceLogps: Tensor,
                klPolicyLogps: Tensor? = nil, klReferenceLogps: Tensor? = nil) {
        self.tokenLogps = tokenLogps
        self.completionMask = completionMask
        self.labels = labels
        self.referenceLogps = referenceLogps
        self.klPolicyLogps = klPolicyLogps
        self.klReferenceLogps = klReferenceLogps
    }
}

/// KTO settings, TRL 1.16 defaults: β 0.1, λ_D = λ_U = 1, `kto`.
/// Paper Eq. 8: choose weights so that λ_D·n_D / (λ_U·n_U) ∈ [1, 4/3].
public struct KTOConfig: Codable, Sendable, Equatable {
    public enum LossType: String, Codable, Sendable { case kto, apoZeroUnpaired = "apo_zero_unpaired" }
    public var beta: Double = 0.1
    public var desirableWeight: Double = 1
    public var undesirableWeight: Double = 1
    public var lossType: LossType = .kto

    enum CodingKeys: String, CodingKey {
        case beta, desirableWeight = "desirable_weight", undesirableWeight = "undesirable_weight", lossType = "loss_type"
    }
    public init() {}
}

/// The KTO objective.
public struct KTOLoss {
    public let config: KTOConfig
    public init(config: KTOConfig) { self.config = config }

    public func compute(_ batch: UnpairedLogps) throws -> ObjectiveOutput {
        let beta = Float(config.beta)
        let logps = (batch.tokenLogps * batch.completionMask).sum(axis: 1)  // [N]
        let chosenIdx = batch.labels.indices.filter { batch.labels[$0] }
        let rejectedIdx = batch.labels.indices.filter { !batch.labels[$0] }
        // z₀ = max(0, mean(KL log-ratio of mismatched pairs)), detached: the reference point.
        var kl: Float = 0
        if config.lossType == .kto {
            guard let kp = batch.klPolicyLogps, let kr = batch.klReferenceLogps else {
                throw TrainingError.missingInput(objective: "kto", input: "mismatched-pair (KL) log-probs")
            }
            kl = Swift.max(0, Autograd.withoutGrad { (kp - kr).mean().item() })
        }
        let ratios = logps - batch.referenceLogps
        var parts: [Tensor] = []
        if !chosenIdx.isEmpty {
            let r = ratios.gatherRows(chosenIdx)
            let l = config.lossType == .kto ? 1 - ((r - kl) * beta).sigmoid() : 1 - (r * beta).sigmoid()
            parts.append(l * Float(config.desirableWeight))
        }
        if !rejectedIdx.isEmpty {
            let r = ratios.gatherRows(rejectedIdx)
            let l = config.lossType == .kto ? 1 - ((kl - r) * beta).sigmoid() : (r * beta).sigmoid()
            parts.append(l * Float(config.undesirableWeight))
        }
        // Desirable and undesirable losses are concatenated before one mean: weights are not renormalized.
        let loss = parts.isEmpty ? Tensor(scalar: 0) : Tensor.concat(parts).mean()
        return ObjectiveOutput(loss: loss, metrics: metrics(ratios, logps, chosenIdx, rejectedIdx, kl))
    }

    func metrics(_ ratios: Tensor, _ logps: Tensor, _ c: [Int], _ r: [Int], _ kl: Float) -> [String: Double] {
        let rw = ratios.scalars.map { config.beta * Double($0) }, lp = logps.scalars.map(Double.init)
        func mean(_ v: [Double], _ idx: [Int]) -> Double { idx.map { v[$0] }.reduce(0, +) / Double(idx.count) }
        var m: [String: Double] = ["kl": Double(kl)]
        if !c.isEmpty { m["rewards/chosen"] = mean(rw, c); m["logps/chosen"] = mean(lp, c) }
        if !r.isEmpty { m["rewards/rejected"] = mean(rw, r); m["logps/rejected"] = mean(lp, r) }
        if let a = m["rewards/chosen"], let b = m["rewards/rejected"] { m["rewards/margins"] = a - b }
        return m
    }
}
