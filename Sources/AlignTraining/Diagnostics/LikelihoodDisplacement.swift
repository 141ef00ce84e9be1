// Likelihood displacement monitor (Razin et al. 2024, arXiv 2410.08847; users meet it as "chosen log-probs fall
// while the margin grows", TRL issue #800). In the DPO family the logged `rewards/chosen` is β·(log π(y⁺) −
// log π_ref(y⁺)) on the step's own batch, so its sign says whether the chosen completions lost probability
// relative to the reference, independently of which examples the batch held. The monitor smooths
// `rewards/chosen` and `rewards/margins` with an exponential moving average and reports displacement when,
// after `warmupSteps` logged steps, the smoothed chosen reward is below −tolerance while the smoothed margin is
// positive: the objective improves by pushing the rejected completion down faster than the chosen one.
import Foundation

/// Watches the logged steps of a pairwise run for likelihood displacement.
public struct LikelihoodDisplacementMonitor: Sendable {
    /// Weight of the newest step in the moving averages.
    public var smoothing: Double
    /// Logged steps before a verdict is given.
    public var warmupSteps: Int
    /// How far below zero the smoothed chosen reward must be.
    public var tolerance: Double
    public private(set) var chosenReward: Double?
    public private(set) var margin: Double?
    public private(set) var steps = 0
    /// The first step at which displacement was seen, if any.
    public private(set) var firstDisplacedStep: Int?

    public init(smoothing: Double = 0.2, warmupSteps: Int = 5, tolerance: Double = 1e-3) {
        self.smoothing = smoothing
        self.warmupSteps = warmupSteps
        self.tolerance = tolerance
    }

    /// Whether the smoothed statistics currently show displacement.
    public var isDisplaced: Bool {
        guard steps >= warmupSteps, let c = chosenReward, let m = margin else { return false }
        return c < -tolerance && m > 0
    }

    /// Feeds one logged step; returns true the first time displacement is seen (to warn once).
    public mutating func observe(_ log: StepLog) -> Bool {
        guard let c = log.metrics["rewards/chosen"], let m = log.metrics["rewards/margins"], c.isFinite, m.isFinite else {
            return false
        }
        chosenReward = chosenReward.map { $0 + smoothing * (c - $0) } ?? c
        margin = margin.map { $0 + smoothing * (m - $0) } ?? m
        steps += 1
        guard firstDisplacedStep == nil, isDisplaced else { return false }
        firstDisplacedStep = log.step
        return true
    }

    /// The warning line for the run's progress output.
    public func warning() -> String {
        let c = chosenReward.map { String(format: "%.4f", $0) } ?? "?"
        let m = margin.map { String(format: "%.4f", $0) } ?? "?"
        return "warning: likelihood displacement from step \(firstDisplacedStep ?? 0): smoothed rewards/chosen \(c) < 0 "
            + "while rewards/margins \(m) > 0 — chosen completions are losing probability; consider an SFT term "
            + "(rpo_alpha or loss_type [sigmoid, sft]) or filtering high-CHES pairs (align diagnose ches)"
    }
}
