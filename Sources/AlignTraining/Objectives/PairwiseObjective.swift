// PairwiseObjective: what DPOTrainer needs of a pairwise objective — a loss from the batch's log-probs, and
// which inputs it reads, so reference-free objectives (CPO, SimPO, AlphaPO, ORPO) skip the reference pass
// and ORPO gets its NLL over prompt + chosen tokens. The conformances below adapt CPOLoss and ORPOLoss to
// the [chosen; rejected] batch the way trl 1.16.0's experimental CPOTrainer and ORPOTrainer feed them
// (`concatenated_forward`: completion log-probs summed, or averaged for ipo/simpo/ORPO).
import AlignTensor

/// A loss over a [chosen; rejected] preference batch, as DPOTrainer trains it.
public protocol PairwiseObjective {
    /// Whether `compute` reads `referenceLogps` (false: the trainer never runs a reference pass).
    var needsReference: Bool { get }
    /// Whether `compute` reads `promptChosenNLL` (ORPO's NLL over prompt + chosen tokens).
    var needsPromptChosenNLL: Bool { get }
    /// Loss (on the tape) and TRL-named metrics for one micro-batch.
    func compute(_ batch: PreferenceLogps) throws -> ObjectiveOutput
}

extension DPOLoss: PairwiseObjective {
    /// The DPO family compares to a reference.
    public var needsReference: Bool { true }
    /// Completion tokens only.
    public var needsPromptChosenNLL: Bool { false }
}

extension CPOLoss: PairwiseObjective {
    /// CPO, SimPO and AlphaPO are reference-free.
    public var needsReference: Bool { false }
    /// CPO's NLL is over chosen completion tokens (TRL CPOTrainer masks the prompt with −100).
    public var needsPromptChosenNLL: Bool { false }
}

extension ORPOLoss: PairwiseObjective {
    /// ORPO is reference-free.
    public var needsReference: Bool { false }
    /// TRL ORPOTrainer: "orpo chosen nll loss is computed over the full prompt and response".
    public var needsPromptChosenNLL: Bool { true }

    /// Log odds from per-token-averaged completion log-probs (TRL `get_batch_logps(average_log_prob=True)`).
    public func compute(_ batch: PreferenceLogps) throws -> ObjectiveOutput {
        guard let nll = batch.promptChosenNLL else {
            throw TrainingError.missingInput(objective: "orpo", input: "promptChosenNLL (NLL over prompt + chosen)")
        }
        let b = batch.pairs
        let averaged = batch.sequenceLogps() / batch.tokenCounts()  // [2B]
        return compute(chosenLogps: averaged.rows(0 ..< b), rejectedLogps: averaged.rows(b ..< 2 * b), nll: nll)
    }
}
