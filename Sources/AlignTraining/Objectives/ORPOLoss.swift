// ORPOLoss: odds-ratio preference optimization (Hong et al. 2024, arXiv 2403.07691, Eqs. 4–7),
// as trl 1.16.0's ORPOTrainer computes it: L = NLL − λ·mean(log σ(log odds(y_w) − log odds(y_l))),
// with log odds(y) = log P − log(1 − P) on length-averaged log-probs P.
import AlignTensor

/// ORPO settings: `beta` is λ (TRL's name; the paper's code calls it alpha), default 0.1.
/// TRL takes the NLL over prompt + chosen tokens, not the completion alone; callers choose the span.
///
/// MaPO (Hong et al. 2024, arXiv 2406.06424) carried over to causal LMs (our derivation, see
/// training-objectives.md §15) is this loss with `margin_scale` γ on the log-odds and the NLL taken
/// as −mean ℓ̄(y_w): `L = −mean ℓ̄(y_w) − β·mean log σ(γ·logodds)`.
public struct ORPOConfig: Codable, Sendable, Equatable {
    public var beta: Double = 0.1
    /// γ multiplying the log-odds difference inside log σ (MaPO's T); nil means 1 (ORPO).
    public var marginScale: Double?
    enum CodingKeys: String, CodingKey { case beta, marginScale = "margin_scale" }
    public init() {}
}

/// The ORPO objective.
public struct ORPOLoss {
    public let config: ORPOConfig
    public init(config: ORPOConfig) { self.config = config }

    /// `chosenLogps`/`rejectedLogps`: [B] per-token-averaged completion log-probs; `nll`: scalar token-mean NLL.
    public func compute(chosenLogps: Tensor, rejectedLogps: Tensor, nll: Tensor) -> ObjectiveOutput {
        let beta = Float(config.beta)
        // log1mexp keeps log(1 − P) accurate both for P → 1 and for tiny P.
        let logOdds = (chosenLogps - rejectedLogps) - (chosenLogps.log1mexp() - rejectedLogps.log1mexp())
        let ratio = (config.marginScale.map { logOdds * Float($0) } ?? logOdds).logSigmoid()
        let loss = nll - (ratio * beta).mean()
        var m = pairMetrics(chosen: chosenLogps * beta, rejected: rejectedLogps * beta,
                            chosenLogps: chosenLogps, rejectedLogps: rejectedLogps)
        m["nll_loss"] = Double(nll.item())
        // TRL's names, kept for log compatibility: the first is mean log σ(·), the second the mean log-odds difference.
        m["log_odds_ratio"] = Double(ratio.mean().item())
        m["log_odds_chosen"] = Double(logOdds.mean().item())
        return ObjectiveOutput(loss: loss, metrics: m)
    }
}
