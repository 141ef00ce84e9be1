// Learning-rate schedules as multipliers of each group's initial lr, ported from transformers
// 5.23.0's src/transformers/optimization.py (get_constant_schedule, get_constant_schedule_with_warmup,
// get_linear_schedule_with_warmup, get_cosine_schedule_with_warmup) driven by torch 2.15.0's
// LambdaLR (torch/optim/lr_scheduler.py): lr = base_lr · λ(last_epoch), in Float64.
// LambdaLR evaluates λ(0) when constructed and λ(k) after the k-th scheduler step, so optimizer
// step k (counting from 0) runs with λ(k). Left out: polynomial, inverse-sqrt, restarts and
// min-lr variants.
import Foundation

/// A learning-rate multiplier as a function of the optimizer step (transformers' lambdas).
public enum LRSchedule: Equatable, Sendable {
    /// λ = 1 (get_constant_schedule).
    case constant
    /// λ = step / max(1, warmup) during warmup, then 1 (get_constant_schedule_with_warmup).
    case constantWithWarmup(warmupSteps: Int)
    /// Warmup, then linear decay to 0 at `totalSteps` (get_linear_schedule_with_warmup).
    case linear(warmupSteps: Int, totalSteps: Int)
    /// Warmup, then 0.5·(1 + cos(π·cycles·2·progress)) (get_cosine_schedule_with_warmup;
    /// transformers' default `numCycles` 0.5 is a half cosine from 1 down to 0).
    case cosine(warmupSteps: Int, totalSteps: Int, numCycles: Double = 0.5)

    /// The multiplier λ(step) for the lr used by optimizer step `step` (0-based).
    public func multiplier(step: Int) -> Double {
        switch self {
        case .constant:
            return 1
        case let .constantWithWarmup(warmup):
            // transformers divides by max(1.0, warmup) here; the same value as max(1, warmup).
            if step < warmup { return Double(step) / Double(max(1, warmup)) }
            return 1
        case let .linear(warmup, total):
            if step < warmup { return Double(step) / Double(max(1, warmup)) }
            return max(0, Double(total - step) / Double(max(1, total - warmup)))
        case let .cosine(warmup, total, cycles):
            if step < warmup { return Double(step) / Double(max(1, warmup)) }
            let progress = Double(step - warmup) / Double(max(1, total - warmup))
            // Same association as Python's `math.pi * float(num_cycles) * 2.0 * progress`.
            return max(0, 0.5 * (1 + cos(Double.pi * cycles * 2 * progress)))
        }
    }
}

/// Drives an optimizer's learning rates with a schedule, like torch's LambdaLR: it remembers
/// each group's initial lr and sets `lr = initial · λ(step)`.
///
///     let scheduler = LRScheduler(opt, schedule: .cosine(warmupSteps: 10, totalSteps: 100))
///     for _ in 0 ..< 100 { /* backward */; opt.step(); scheduler.step() }
public final class LRScheduler {
    /// The optimizer whose group learning rates are set.
    public let optimizer: any Optimizer
    /// The schedule.
    public let schedule: LRSchedule
    /// Each group's lr before scheduling (torch's `initial_lr` / `base_lrs`).
    public let baseLRs: [Double]
    /// The step whose multiplier is in effect (torch's `last_epoch`).
    public private(set) var currentStep: Int

    /// Takes the optimizer's current group lrs as base lrs and applies λ(0).
    public init(_ optimizer: any Optimizer, schedule: LRSchedule) {
        self.optimizer = optimizer
        self.schedule = schedule
        self.baseLRs = optimizer.groups.map(\.lr)
        self.currentStep = 0
        apply()
    }

    /// Resumes a schedule: `baseLRs` saved from the original run (one per group) and the step
    /// reached (`currentStep` when saved); applies λ(`step`). Throws if the counts do not fit.
    public init(resuming optimizer: any Optimizer, schedule: LRSchedule, baseLRs: [Double], step: Int) throws {
        guard baseLRs.count == optimizer.groups.count, step >= 0 else {
            throw TensorError.invalidArgument(
                op: "LRScheduler", argument: "\(baseLRs.count) base lrs at step \(step)",
                expected: "one base lr per parameter group (\(optimizer.groups.count)) and a step ≥ 0")
        }
        self.optimizer = optimizer
        self.schedule = schedule
        self.baseLRs = baseLRs
        self.currentStep = step
        apply()
    }

    /// The current learning rate of every group (torch's `get_last_lr()`).
    public var lastLRs: [Double] { optimizer.groups.map(\.lr) }

    /// Advances one step and sets the group lrs (call after `optimizer.step()`).
    public func step() {
        currentStep += 1
        apply()
    }

    private func apply() {
        let factor = schedule.multiplier(step: currentStep)
        for (i, base) in baseLRs.enumerated() {
            optimizer.setLearningRate(base * factor, group: i)
        }
    }
}
