// RewardLoss: the Bradley-Terry reward-model loss of trl 1.16.0's RewardTrainer,
// −log σ(r_w − r_l − margin), plus the optional reward-centering term
// c · mean((r_w + r_l)²) (Eisenstein et al. 2023, "Helping or Herding?").
import AlignTensor

/// Reward-model settings: `center_rewards_coefficient` (nil = off, TRL's default).
public struct RewardConfig: Codable, Sendable, Equatable {
    public var centerRewardsCoefficient: Double?
    enum CodingKeys: String, CodingKey { case centerRewardsCoefficient = "center_rewards_coefficient" }
    public init() {}
}

/// The pairwise reward-model objective.
public struct RewardLoss {
    public let config: RewardConfig
    public init(config: RewardConfig) { self.config = config }

    /// `rewards`: [2B] scalar-head outputs in [chosen; rejected] order; `margins`: optional [B].
    public func compute(rewards: Tensor, margins: Tensor? = nil) -> ObjectiveOutput {
        let b = rewards.count / 2
        let flat = rewards.reshaped([2 * b])
        let (rc, rr) = (flat.rows(0 ..< b), flat.rows(b ..< 2 * b))
        var diff = rc - rr
        if let m = margins { diff = diff - m }
        var loss = -diff.logSigmoid().mean()
        if let c = config.centerRewardsCoefficient { loss = loss + (rc + rr).square().mean() * Float(c) }
        let cs = rc.scalars, rs = rr.scalars
        let all = flat.scalars.map(Double.init)
        let metrics: [String: Double] = [
            "accuracy": Double(zip(cs, rs).filter { $0 > $1 }.count) / Double(max(b, 1)),
            "margin": zip(cs, rs).map { Double($0 - $1) }.reduce(0, +) / Double(max(b, 1)),
            "mean_reward": all.reduce(0, +) / Double(max(all.count, 1)),
        ]
        return ObjectiveOutput(loss: loss, metrics: metrics)
    }
}
