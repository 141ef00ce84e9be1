// DPOLoss: the DPO family as one objective — sequence log-ratios, f-divergence scores, the
// weighted sum of per-sequence losses, WPO weighting, and TRL's logged metrics.
// Mirrors the loss part of trl 1.16.0 `DPOTrainer._compute_loss` (checked by the fixture from
// scripts/fixtures/dpo_losses_fixture.py, which runs that very method).
import AlignTensor

/// The pairwise DPO-family objective configured by `DPOConfig`.
///
///     let out = try DPOLoss(config: cfg).compute(batch)
///     out.loss.backward()   // gradients reach batch.tokenLogps
public struct DPOLoss {
    public let config: DPOConfig

    public init(config: DPOConfig) throws {
        try config.validate()
        self.config = config
    }

    /// Sequence-level quantities shared by every loss type ([B] each, policy ones on the tape).
    struct Pair {
        let chosenLogps, rejectedLogps: Tensor        // Σ log π over each completion
        let chosenRatios, rejectedRatios: Tensor      // ρ = log π − log π_ref
        let chosenScores, rejectedScores: Tensor      // f′(exp ρ) (= ρ for reverse KL)
        let chosenTokens, rejectedTokens: Tensor      // |y|, clamped at 1 (constant)
        let refChosen, refRejected: Tensor
        let batch: PreferenceLogps
    }

    /// Loss and metrics for one batch.
    public func compute(_ batch: PreferenceLogps) throws -> ObjectiveOutput {
        guard let ref = batch.referenceLogps else {
            throw TrainingError.missingInput(objective: "dpo", input: "reference log-probs")
        }
        let b = batch.pairs
        let logps = config.ldAlpha.map {
            PreferenceLogps.lengthDesensitized(batch.tokenLogps, mask: batch.completionMask, alpha: Float($0))
        } ?? batch.sequenceLogps()
        let counts = batch.tokenCounts()
        let (chosen, rejected) = (logps.rows(0 ..< b), logps.rows(b ..< 2 * b))
        let (refC, refR) = (ref.rows(0 ..< b), ref.rows(b ..< 2 * b))
        let (ratioC, ratioR) = (chosen - refC, rejected - refR)
        let pair = Pair(chosenLogps: chosen, rejectedLogps: rejected, chosenRatios: ratioC, rejectedRatios: ratioR,
                        chosenScores: fScore(ratioC), rejectedScores: fScore(ratioR),
                        chosenTokens: counts.rows(0 ..< b), rejectedTokens: counts.rows(b ..< 2 * b),
                        refChosen: refC, refRejected: refR, batch: batch)
        let weights = try config.useWeighting ? wpoWeights(batch) : nil
        var total: Tensor?
        for (i, type) in config.lossType.enumerated() {
            var perSequence = perSequenceLoss(type, pair)  // [B]
            if let w = weights { perSequence = perSequence * w }
            let term = perSequence.mean() * Float(config.lossWeights?[i] ?? 1)
            total = total.map { $0 + term } ?? term
        }
        return ObjectiveOutput(loss: total ?? Tensor(scalar: 0), metrics: metrics(pair))
    }

    /// f′(u) at u = exp(ρ), per TRL 1.16 (f-DPO, arXiv 2309.16240, Table 1).
    func fScore(_ ratio: Tensor) -> Tensor {
        switch config.fDivergenceType {
        case .reverseKL:
            return ratio
        case .forwardKL:  // f′(u) = 1 − 1/u
            return 1 - (-ratio).exp()
        case .jsDivergence:  // f′(u) = log(2u/(1+u)) = log 2 + log σ(ρ)
            return ratio.logSigmoid() + Float(0.6931471805599453)
        case .alphaDivergence:  // f′(u) = (u^(α−1) − 1)/(α−1); α → 1 is reverse KL
            let a = config.fAlphaDivergenceCoef
            if Swift.abs(a - 1) < 1e-6 { return ratio }
            // The exponent is clamped at 80 (TRL's fp32 bound) so exp stays finite.
            return ((ratio * Float(a - 1)).clamped(max: 80).exp() - 1) * Float(1 / (a - 1))
        }
    }

    /// WPO's per-pair weight w(y_w)·w(y_l), w = exp(mean_t[log π_t − log Σ_v π_v²]), without gradient.
    func wpoWeights(_ batch: PreferenceLogps) throws -> Tensor {
        guard let lssp = batch.logSumSquaredProbs else {
            throw TrainingError.missingInput(objective: "dpo (use_weighting)", input: "logSumSquaredProbs")
        }
        return Autograd.withoutGrad {
            let aligned = ((batch.tokenLogps.detached() - lssp) * batch.completionMask).sum(axis: 1)
            let w = (aligned / batch.tokenCounts()).exp()
            let b = batch.pairs
            return w.rows(0 ..< b) * w.rows(b ..< 2 * b)
        }
    }
}
