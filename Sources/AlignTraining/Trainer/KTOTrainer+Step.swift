// One optimizer step of KTOTrainer: the step's micro-batches (gradient_accumulation_steps, fewer at an
// epoch's end), each → KTOLoss on policy and reference log-probs → backward of loss / micro-batches;
// then clip, update, schedule. Metrics as TRL's KTOTrainer records them: each micro-batch appends the
// metrics it has (rewards/chosen only when it holds a desirable row, …) and `log` averages every name
// over the entries it got; `num_tokens` counts the attention mask of the main sequences.
// Not logged (TRL logs them from the LM head's outputs): entropy, logits/chosen, logits/rejected.
import AlignModels
import AlignTensor

extension KTOTrainer {
    /// Loss and metrics of one micro-batch (the loss recorded on the tape), and its token count.
    func microBatch(_ indices: [Int]) throws -> (ObjectiveOutput, tokens: Int) {
        let rows = indices.map { data[$0] }
        let batch = UnpairedBatch.collate(rows, padID: padID)
        let logps = try model.tokenLogProbs(batch.ids, labels: batch.labels, attentionMask: batch.attentionMask)  // [N, T]
        var input = UnpairedLogps(tokenLogps: logps, completionMask: batch.completionMask, labels: rows.map(\.label),
                                  referenceLogps: try vector(indices.map { referenceLogps[$0].0 }))
        if objective.config.lossType == .kto, let kl = UnpairedBatch.collateKL(rows, padID: padID) {
            // The KL sequences only set the detached reference point z₀: no gradient through them (TRL: no_grad).
            input.klPolicyLogps = try vector(try Self.sequenceLogps(model, kl))
            input.klReferenceLogps = try vector(indices.map { referenceLogps[$0].1 ?? 0 })
        }
        let tokens = batch.attentionMask.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } }
        return (try objective.compute(input), tokens)
    }

    /// Runs the step's micro-batches (each metric averaged over the micro-batches that report it, tokens counted)
    /// and one AdamW update; returns the step's log.
    public func optimizerStep() throws -> StepLog { try loop.averagedStep(microBatch, reduction: .meanOverReports) }

    func vector(_ v: [Float]) throws -> Tensor { try Tensor(v, shape: [v.count]) }
}
