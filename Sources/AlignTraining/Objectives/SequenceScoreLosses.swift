// Objectives without a TRL implementation, each on sequence-level scores, with the formula and
// its source (and UNVERIFIED where ../shared/methods/training-objectives.md marks it so):
// CoPG (§13), D2O (§9), POSFT/PoFT (§14), AFT's constraint alignment loss (§12), ASFT (§6).
// Witness: the Float64 reference in scripts/fixtures/sequence_objectives_fixture.py.
import AlignTensor

/// CoPG, Contrastive Policy Gradient (Flet-Berliac et al. 2024, arXiv 2406.19185):
/// ℓ = (R̃(y) − R̃(y′))², R̃ = R − β·ρ, averaged over pairs. Its gradient is −2β(R̃ − R̃′)(∇log π(y) − ∇log π(y′)):
/// a policy gradient whose baseline is the other sample's regularized reward. Constant factors UNVERIFIED.
public struct CoPGLoss {
    public var beta: Double
    public init(beta: Double = 0.1) { self.beta = beta }

    /// `ratios`, `otherRatios`: [B] ρ = log π − log π_ref of two independent samples; `rewards`: their [B] rewards.
    public func compute(ratios: Tensor, otherRatios: Tensor, rewards: Tensor, otherRewards: Tensor) -> ObjectiveOutput {
        let b = Float(beta)
        let gap = (rewards - ratios * b) - (otherRewards - otherRatios * b)
        let loss = gap.square().mean()
        return ObjectiveOutput(loss: loss, metrics: ["regularized_reward_gap": Double(gap.abs().mean().item())])
    }
}

/// D2O, Distributional Dispreference Optimization (Duan et al. 2024, arXiv 2403.03419), from negatives only:
/// L = −mean log σ( (β/K)·Σᵢ ρ⁻(yᵢ) − α·ρ⁺(y_l) ), yᵢ = K self-generated samples, y_l the human negative.
/// Form from a third-party reimplementation; UNVERIFIED against the paper (defaults β 0.1, α 0.1).
public struct D2OLoss {
    public var beta: Double, alpha: Double
    public init(beta: Double = 0.1, alpha: Double = 0.1) { self.beta = beta; self.alpha = alpha }

    /// `sampleRatios`: [B, K] log-ratios of the samples (vs π_r⁻); `negativeRatios`: [B] of the negatives (vs π_r⁺).
    public func compute(sampleRatios: Tensor, negativeRatios: Tensor) -> ObjectiveOutput {
        let k = Float(sampleRatios.shape[1])
        let margin = sampleRatios.sum(axis: 1) * Float(beta / Double(k)) - negativeRatios * Float(alpha)
        let loss = -margin.logSigmoid().mean()
        let acc = margin.scalars.filter { $0 > 0 }.count
        return ObjectiveOutput(loss: loss, metrics: ["margin": Double(margin.mean().item()),
                                                     "accuracy": Double(acc) / Double(max(margin.count, 1))])
    }
}

/// POSFT / PoFT (Fan et al. 2024, arXiv 2412.12865): a Bradley-Terry preference of the target model over
/// frozen aligned models on SFT data: L = −mean log σ(β·(s_θ − s_A)), s = length-normalized log-likelihood,
/// s_A the mean of the aligned models' scores. β (default 1) and the aggregation are UNVERIFIED.
public struct POSFTLoss {
    public var beta: Double
    public init(beta: Double = 1) { self.beta = beta }

    /// `scores`: [B] s_θ; `alignedScores`: [B, M] per-aligned-model scores (constant).
    public func compute(scores: Tensor, alignedScores: Tensor) -> ObjectiveOutput {
        let anchor = alignedScores.mean(axis: 1)
        let loss = -((scores - anchor) * Float(beta)).logSigmoid().mean()
        return ObjectiveOutput(loss: loss, metrics: ["score_gap": Double((scores - anchor).mean().item())])
    }
}

/// AFT's constraint alignment loss (Wang et al. 2023, arXiv 2309.02144), boundary-constrained form.
/// L = −mean_{pos} s_p  +  log(1 + Σ_p Σ_n e^{s_n − s_p})  +  Σ_n max(0, B − s_n),
/// B = stopgrad(min_p s_p) − margin; s = length-normalized log-likelihood. The exact boundary and the
/// variant are UNVERIFIED (abstract only); this follows the methods document's reconstruction.
public struct AFTLoss {
    public var margin: Double
    public init(margin: Double = 1) { self.margin = margin }

    /// One prompt's scores: `positive` [P] (correct answers), `negative` [N] (incorrect).
    public func compute(positive: Tensor, negative: Tensor) -> ObjectiveOutput {
        let p = positive.count, n = negative.count
        let vft = -positive.mean()
        // Σ_p Σ_n e^{s_n − s_p} through a [N] ⊗ [P] broadcast: [N, 1] − [1, P].
        let diffs = negative.reshaped([n, 1]) - positive.reshaped([1, p])
        let align = (diffs.exp().sum() + 1).log()
        let boundary = (positive.scalars.min() ?? 0) - Float(margin)
        let constraint = (Tensor(scalar: boundary) - negative).relu().sum()
        return ObjectiveOutput(loss: vft + align + constraint,
                               metrics: ["alignment_loss": Double(align.item()), "constraint_loss": Double(constraint.item())])
    }
}

/// ASFT, Aligned SFT through absolute likelihood (Wang et al. 2024, arXiv 2409.10571). UNVERIFIED
/// reconstruction: L = NLL(y_w) + λ·mean[−log σ(s(y_w)) − log σ(−s(y_l))], s = ORPO's log-odds of the
/// length-normalized likelihood ℓ̄ − log(1 − e^ℓ̄). Per-response absolute terms, no Bradley-Terry margin.
public struct ASFTLoss {
    public var lambda: Double
    public init(lambda: Double = 0.1) { self.lambda = lambda }

    /// `chosenMean`, `rejectedMean`: [B] length-normalized log-likelihoods; `nll`: scalar token-mean NLL of chosen.
    public func compute(chosenMean: Tensor, rejectedMean: Tensor, nll: Tensor) -> ObjectiveOutput {
        let sw = chosenMean - chosenMean.log1mexp(), sl = rejectedMean - rejectedMean.log1mexp()
        let absolute = (-sw.logSigmoid() - (-sl).logSigmoid()).mean()
        return ObjectiveOutput(loss: nll + absolute * Float(lambda), metrics: ["absolute_loss": Double(absolute.item())])
    }
}
