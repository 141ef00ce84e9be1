// BCOLoss: Binary Classifier Optimization on unpaired data (Jung et al. 2024, arXiv 2404.04656) as
// trl 1.13's BCOTrainer computes it: r = β·ρ; δ = running mean of batch rewards (updated before the
// loss on training steps, exact cumulative mean from RunningMoments' mean 0, count 1e-24 start);
// desirable −log σ(r − δ), undesirable −log σ(−(r − δ)) × UDM density ratio; mean over all rows.
import AlignTensor

/// The running reward shift δ, persisted with checkpoints.
public struct RunningMean: Codable, Sendable, Equatable {
    public var mean: Double = 0
    public var count: Double = 1e-24

    public init() {}

    /// δ ← δ + (μ_b − δ)·n_b/(n + n_b): the exact cumulative mean of every value seen.
    public mutating func update(_ values: [Float]) {
        guard !values.isEmpty else { return }
        let nb = Double(values.count)
        let mb = values.reduce(0.0) { $0 + Double($1) } / nb
        mean += (mb - mean) * nb / (count + nb)
        count += nb
    }
}

/// BCO settings (BCOConfig defaults: β 0.1; density ratios clipped to [0.5, 10]).
public struct BCOLoss {
    public var beta: Double = 0.1
    public var minDensityRatio: Double = 0.5, maxDensityRatio: Double = 10
    /// δ; updated by `compute(..., training: true)`.
    public var shift = RunningMean()

    public init(beta: Double = 0.1) { self.beta = beta }

    /// - Parameters:
    ///   - ratios: [N] ρ = log π − log π_ref; `labels`: desirable flags.
    ///   - desirableProbability: per-row p̂(desirable | x) from the UDM classifier, or nil (weights 1).
    ///     Undesirable rows are weighted by clip(p/(1 − p + 1e-8), min, max).
    public mutating func compute(ratios: Tensor, labels: [Bool], desirableProbability: [Double]? = nil,
                                 training: Bool = true) -> ObjectiveOutput {
        let rewards = ratios * Float(beta)
        if training { shift.update(rewards.scalars) }
        let delta = Float(shift.mean)
        let sign = constant(labels.map { $0 ? 1 : -1 })
        let weights = constant(labels.indices.map { i in
            guard !labels[i], let p = desirableProbability?[i] else { return 1 }
            return Float(min(max(p / (1 - p + 1e-8), minDensityRatio), maxDensityRatio))
        })
        let loss = (-((rewards - delta) * sign).logSigmoid() * weights).mean()
        return ObjectiveOutput(loss: loss, metrics: ["delta": shift.mean])
    }
}
