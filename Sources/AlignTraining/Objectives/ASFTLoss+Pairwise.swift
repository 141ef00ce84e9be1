// ASFTLoss as a PairwiseObjective, so DPOTrainer trains it on [chosen; rejected] batches (`align train asft`,
// `objective: asft`): reference-free (no reference pass); s(y) from the length-normalized completion
// log-likelihood ℓ̄ = Σ_t log π / |y| (completion tokens only, as TRL's CPO/ORPO trainers average them); NLL =
// the token mean over the chosen completion tokens (as CPOTrainer's NLL). The loss itself is UNVERIFIED against
// the paper (arXiv 2409.10571; see SequenceScoreLosses.swift and training-objectives.md §6).
import AlignTensor

extension ASFTLoss: PairwiseObjective {
    /// ASFT is reference-free.
    public var needsReference: Bool { false }
    /// The NLL is over chosen completion tokens only.
    public var needsPromptChosenNLL: Bool { false }

    /// Loss and metrics of one batch: `absolute_loss`, `nll_loss` and TRL's `logps/chosen|rejected` (summed).
    public func compute(_ batch: PreferenceLogps) throws -> ObjectiveOutput {
        let b = batch.pairs
        let sums = batch.sequenceLogps()  // [2B]
        let means = sums / batch.tokenCounts()  // [2B] ℓ̄
        let mask = batch.completionMask.rows(0 ..< b)  // [B, T]
        // Token-mean over all chosen completion tokens of the batch (not a mean of per-row means), as CPOTrainer.
        let nll = -(batch.tokenLogps.rows(0 ..< b) * mask).sum() / Swift.max(mask.sum().item(), 1)
        var out = compute(chosenMean: means.rows(0 ..< b), rejectedMean: means.rows(b ..< 2 * b), nll: nll)
        let s = sums.scalars
        out.metrics["nll_loss"] = Double(nll.item())
        out.metrics["logps/chosen"] = s[0 ..< b].reduce(0) { $0 + Double($1) } / Double(Swift.max(b, 1))
        out.metrics["logps/rejected"] = s[b ..< 2 * b].reduce(0) { $0 + Double($1) } / Double(Swift.max(b, 1))
        return out
    }
}
