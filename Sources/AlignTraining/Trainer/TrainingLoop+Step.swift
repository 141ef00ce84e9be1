// The optimizer step most trainers share, on TrainingLoop: the step's micro-batches (accumulateStep) through the
// trainer's `microBatch`, their metrics combined into the step's (MetricReduction), their tokens counted, then
// finishStep (clip → AdamW → schedule). A trainer keeps only its micro-batch and what is its own: RewardTrainer's
// padding-row gradient and BCOTrainer's per-row metric averages (`beforeUpdate`), TR-DPO's reference sync after
// the step. SFTTrainer's loss is divided by the step's target-token count, not by the micro-batch count, so it runs
// its own step.
import AlignTensor

/// How the metrics of a step's micro-batches become the step's metrics.
public enum MetricReduction: Sendable, Equatable {
    /// Σ value / n over the micro-batches, n = the step's micro-batch count (a name a micro-batch lacks adds 0
    /// there): transformers' Trainer, which averages logged values over gradient accumulation.
    case meanOverMicroBatches
    /// Each name's values summed over the micro-batches that report it, divided by how many did (TRL KTOTrainer's
    /// `log`, whose rewards/chosen exists only for micro-batches with a desirable row).
    case meanOverReports
    /// Plain sums over the micro-batches, for the trainer to finish in `beforeUpdate` (BCOTrainer's per-row means).
    case sum
}

extension TrainingLoop {
    /// Runs the next step's micro-batches and one AdamW update (accumulateStep, then finishStep); returns its log.
    /// - Parameters:
    ///   - microBatch: one micro-batch on the tape → its output (loss a batch mean; metrics) and its token count, or
    ///     nil for a trainer that does not count tokens (then the step logs no `num_tokens`).
    ///   - reduction: how the micro-batches' metrics combine.
    ///   - beforeUpdate: runs after the last backward, before clipping, with the combined metrics and the step's
    ///     micro-batch count: may adjust the gradients or replace the metrics. `num_tokens` is added after it.
    public func averagedStep(_ microBatch: (_ indices: [Int]) throws -> (ObjectiveOutput, tokens: Int?),
                             reduction: MetricReduction = .meanOverMicroBatches,
                             beforeUpdate: (_ metrics: inout [String: Double], _ microBatches: Int) -> Void = { _, _ in })
        rethrows -> StepLog {
        var metrics: [String: Double] = [:], reports: [String: Int] = [:]
        var microBatches = 0, countsTokens = false
        let loss = try accumulateStep { indices, n in
            let (out, tokens) = try microBatch(indices)
            for (k, v) in out.metrics {
                if reduction == .meanOverMicroBatches {
                    metrics[k, default: 0] += v / Double(n)
                } else {
                    metrics[k, default: 0] += v
                    reports[k, default: 0] += 1
                }
            }
            if let tokens {
                countTokens(tokens)
                countsTokens = true
            }
            microBatches = n
            return out.loss
        }
        if reduction == .meanOverReports {
            metrics = metrics.reduce(into: [String: Double]()) { $0[$1.key] = $1.value / Double(reports[$1.key] ?? 1) }
        }
        beforeUpdate(&metrics, microBatches)
        if countsTokens { metrics["num_tokens"] = Double(state.numTokens ?? 0) }
        return finishStep(loss: loss, metrics: metrics)
    }
}
