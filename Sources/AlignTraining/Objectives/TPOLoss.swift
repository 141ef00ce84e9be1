// TPOLoss: Triple Preference Optimization (Saeidi et al. 2024, arXiv 2405.16681), reference-free on
// {prompt, chosen, rejected, gold}: the CPO-family preference term plus tpo_alpha × the token-mean NLL of
// the gold response (trl.experimental.tpo, TRL 1.16). `tpo-l` is the SimPO-style margin on averages.
import AlignTensor

/// TPO settings (TRL 1.16 defaults: β 0.01, tpo_alpha 1, tpo_l_gamma 0.5, ε 0, `sigmoid`).
public struct TPOConfig: Codable, Sendable, Equatable {
    public enum LossType: String, Codable, Sendable { case sigmoid, hinge, ipo, tpoL = "tpo-l" }
    public var beta: Double = 0.01
    public var tpoAlpha: Double = 1
    public var tpoLGamma: Double = 0.5
    public var labelSmoothing: Double = 0
    public var lossType: LossType = .sigmoid

    enum CodingKeys: String, CodingKey {
        case beta, tpoAlpha = "tpo_alpha", tpoLGamma = "tpo_l_gamma", labelSmoothing = "label_smoothing", lossType = "loss_type"
    }
    public init() {}

    /// The equivalent CPO configuration: same preference term, NLL weight = tpo_alpha.
    var cpo: CPOConfig {
        var c = CPOConfig()
        c.beta = beta
        c.labelSmoothing = labelSmoothing
        c.cpoAlpha = tpoAlpha
        c.simpoGamma = tpoLGamma
        c.lossType = [.sigmoid: .sigmoid, .hinge: .hinge, .ipo: .ipo, .tpoL: .simpo][lossType] ?? .sigmoid
        return c
    }
}

/// The TPO objective.
public struct TPOLoss {
    public let config: TPOConfig
    public init(config: TPOConfig) { self.config = config }

    /// Log-probs summed for sigmoid/hinge, averaged for ipo/tpo-l (`config.cpo.averagesLogps`); `goldNLL`: token-mean NLL of gold.
    public func compute(chosenLogps: Tensor, rejectedLogps: Tensor, goldNLL: Tensor) -> ObjectiveOutput {
        CPOLoss(config: config.cpo).compute(chosenLogps: chosenLogps, rejectedLogps: rejectedLogps, chosenNLL: goldNLL)
    }
}
