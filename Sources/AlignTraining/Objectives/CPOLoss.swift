// CPOLoss: the reference-free pairwise family of trl 1.16.0's CPOTrainer — CPO (Xu et al., arXiv
// 2401.08417, Eq. 3), SimPO (Meng et al., arXiv 2405.14734) and AlphaPO (arXiv 2501.03884) —
// `mean(ℓ_pref) + cpo_alpha · NLL(chosen)`.
import AlignTensor

/// CPO-family settings, TRL 1.16 defaults: β 0.1, ε 0, `sigmoid`, cpo_alpha 1, γ 0.5, α 0.
/// Note: `simpo` with the default cpo_alpha = 1 is CPO-SimPO; pure SimPO needs cpo_alpha = 0.
public struct CPOConfig: Codable, Sendable, Equatable {
    public enum LossType: String, Codable, Sendable { case sigmoid, hinge, ipo, simpo }
    public var beta: Double = 0.1
    public var labelSmoothing: Double = 0
    public var lossType: LossType = .sigmoid
    public var cpoAlpha: Double = 1
    public var simpoGamma: Double = 0.5
    /// AlphaPO's α: rewards (1 − p^−α)/α instead of log p; 0 disables.
    public var alpha: Double = 0

    enum CodingKeys: String, CodingKey {
        case beta, labelSmoothing = "label_smoothing", lossType = "loss_type", cpoAlpha = "cpo_alpha"
        case simpoGamma = "simpo_gamma", alpha
    }
    public init() {}

    /// `ipo` and `simpo` use per-token averages of the completion log-probs; the others use sums.
    public var averagesLogps: Bool { lossType == .ipo || lossType == .simpo }
}

/// The CPO / SimPO / AlphaPO objective.
public struct CPOLoss {
    public let config: CPOConfig
    public init(config: CPOConfig) { self.config = config }

    /// From a preference batch: sums or averages per `config.averagesLogps`, NLL = token-mean over chosen.
    public func compute(_ batch: PreferenceLogps) -> ObjectiveOutput {
        let b = batch.pairs
        var logps = batch.sequenceLogps()
        if config.averagesLogps { logps = logps / batch.tokenCounts() }
        let mask = batch.completionMask.rows(0 ..< b)
        let nll = -(batch.tokenLogps.rows(0 ..< b) * mask).sum() / Swift.max(mask.sum().item(), 1)
        return compute(chosenLogps: logps.rows(0 ..< b), rejectedLogps: logps.rows(b ..< 2 * b), chosenNLL: nll)
    }

    /// From sequence-level log-probs [B] (already summed or averaged) and the chosen NLL (scalar).
    public func compute(chosenLogps: Tensor, rejectedLogps: Tensor, chosenNLL: Tensor) -> ObjectiveOutput {
        let beta = Float(config.beta), eps = Float(config.labelSmoothing), a = Float(config.alpha)
        // AlphaPO reward shaping: r = (1 − p^−α)/α = (1 − e^(−α·log p))/α.
        let (rc, rr) = a != 0
            ? ((1 - (chosenLogps * -a).exp()) / a, (1 - (rejectedLogps * -a).exp()) / a)
            : (chosenLogps, rejectedLogps)
        var z = rc - rr
        let perPair: Tensor
        switch config.lossType {
        case .sigmoid, .simpo:
            if config.lossType == .simpo { z = z - Float(config.simpoGamma / config.beta) }
            perPair = -(z * beta).logSigmoid() * (1 - eps) - (-(z * beta)).logSigmoid() * eps
        case .hinge:
            perPair = (1 - z * beta).relu()
        case .ipo:
            perPair = (z - 1 / (2 * beta)).square()
        }
        var loss = perPair.mean()
        if config.cpoAlpha != 0 { loss = loss + chosenNLL * Float(config.cpoAlpha) }
        return ObjectiveOutput(loss: loss, metrics: pairMetrics(chosen: rc * beta, rejected: rr * beta,
                                                                 chosenLogps: chosenLogps, rejectedLogps: rejectedLogps))
    }
}

/// TRL's reward metrics from per-pair implicit rewards and log-probs (values only).
func pairMetrics(chosen: Tensor, rejected: Tensor, chosenLogps: Tensor, rejectedLogps: Tensor) -> [String: Double] {
    let c = chosen.scalars.map(Double.init), r = rejected.scalars.map(Double.init)
    func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }
    return [
        "rewards/chosen": mean(c), "rewards/rejected": mean(r),
        "rewards/accuracies": mean(zip(c, r).map { $0 > $1 ? 1 : 0 }), "rewards/margins": mean(zip(c, r).map { $0 - $1 }),
        "logps/chosen": mean(chosenLogps.scalars.map(Double.init)), "logps/rejected": mean(rejectedLogps.scalars.map(Double.init)),
    ]
}
