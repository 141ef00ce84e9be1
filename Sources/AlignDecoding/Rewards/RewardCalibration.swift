// RewardCalibration: InfAlign's calibration step (Balashankar et al., "InfAlign: Inference-aware
// language model alignment", arXiv 2412.19792, §4 "calibrate"): a reward is replaced by its
// quantile under the reference policy's samples for the same prompt,
//     C(x, y) = P_{y' ~ π_ref(·|x)} [ r(x, y') ≤ r(x, y) ],
// estimated by the empirical CDF of M reference rewards. C is uniform on [0, 1] under π_ref and
// immune to monotone rescaling of r. The transforms Φ the paper pairs with it (exp(t·u) for
// best-of-N, −exp(−t·u) for worst-of-N) are `exponential` and `negativeExponential`.

import Foundation

/// The empirical reward distribution of reference samples, per prompt.
public struct RewardCalibration: Sendable, Equatable {
    /// Sorted reference rewards per prompt.
    public private(set) var references: [String: [Double]]

    /// Creates a calibration from reference rewards per prompt.
    /// - Throws: `invalidReward` if a prompt has no reference reward or one is NaN.
    public init(references: [String: [Double]]) throws {
        for (prompt, values) in references where values.isEmpty || values.contains(where: \.isNaN) {
            throw AlignDecodingError.invalidReward(
                reason: "calibration for prompt '\(prompt.prefix(40))' needs non-empty, non-NaN reference rewards")
        }
        self.references = references.mapValues { $0.sorted() }
    }

    /// C(x, y): the fraction of reference rewards ≤ `reward` for `prompt`.
    /// - Throws: `invalidReward` if the prompt was not calibrated.
    public func quantile(_ reward: Double, prompt: String) throws -> Double {
        guard let sorted = references[prompt] else {
            throw AlignDecodingError.invalidReward(reason: "no reference samples for prompt '\(prompt.prefix(40))'")
        }
        // Binary search for the number of values ≤ reward.
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= reward { lo = mid + 1 } else { hi = mid }
        }
        return Double(lo) / Double(sorted.count)
    }

    /// Φ(u) = exp(t·u), InfAlign's transform for best-of-N sampling.
    public static func exponential(_ u: Double, t: Double) -> Double { exp(t * u) }

    /// Φ(u) = −exp(−t·u), InfAlign's transform for best-of-N jailbreaking (worst-of-N).
    public static func negativeExponential(_ u: Double, t: Double) -> Double { -exp(-t * u) }
}

/// A reward replaced by its calibrated quantile C(x, y) ∈ [0, 1].
public struct CalibratedReward: Reward {
    /// The raw reward.
    public let base: any Reward
    /// Its reference distribution per prompt.
    public let calibration: RewardCalibration

    /// Calibrates `base` with `calibration`.
    public init(_ base: any Reward, calibration: RewardCalibration) {
        self.base = base
        self.calibration = calibration
    }

    public func score(prompt: String, completion: String) throws -> Double {
        try calibration.quantile(try base.score(prompt: prompt, completion: completion), prompt: prompt)
    }
}
