// One optimizer step of DPOTrainer: accumulate micro-batch gradients, clip, update, schedule.
import AlignModels
import AlignTensor

extension DPOTrainer {
    /// Loss and metrics of one micro-batch (recorded on the tape).
    func microBatch(_ indices: [Int]) throws -> ObjectiveOutput {
        let batch = PreferenceBatch.collate(indices.map { data[$0] }, padID: padID)
        var input: PreferenceLogps
        if objective.needsPromptChosenNLL {
            input = try promptChosenLogps(batch)
        } else {
            let logps = try model.tokenLogProbs(batch.ids, labels: batch.labels, attentionMask: batch.attentionMask)
            input = PreferenceLogps(tokenLogps: logps, completionMask: batch.completionMask)
        }
        if objective.needsReference {
            let refs = try referenceValues(indices, batch)
            let ref = Tensor(zeros: [refs.count])  // [2B]
            ref.withUnsafeMutableBuffer { _ = $0.update(fromContentsOf: refs) }
            input.referenceLogps = ref
        }
        return try objective.compute(input)
    }

    /// One forward with every next token as a label (ORPO): completion log-probs are its masked part, and the
    /// NLL is the token mean over the chosen rows' prompt + completion, as TRL ORPOTrainer's cross-entropy on
    /// `input_ids` where `attention_mask == 1` (the first token is never a label).
    func promptChosenLogps(_ batch: PreferenceBatch) throws -> PreferenceLogps {
        let labels: [[Int32]] = zip(batch.ids, batch.attentionMask).map { ids, mask in
            (0 ..< ids.count).map { i in i + 1 < ids.count && mask[i + 1] == 1 ? ids[i + 1] : -100 }
        }
        let full = try model.tokenLogProbs(batch.ids, labels: labels, attentionMask: batch.attentionMask)  // [2B, T]
        let b = batch.pairs
        let count = labels[0 ..< b].reduce(0) { $0 + $1.filter { $0 != -100 }.count }
        let nll = -full.rows(0 ..< b).sum() / Float(max(count, 1))
        return PreferenceLogps(tokenLogps: full * batch.completionMask, completionMask: batch.completionMask,
                               promptChosenNLL: nll)
    }

    /// Runs the step's micro-batches (`gradient_accumulation_steps`, fewer at an epoch's end) and one AdamW
    /// update; returns the step's log.
    func optimizerStep() throws -> StepLog {
        var metrics: [String: Double] = [:]
        let loss = try loop.accumulateStep { indices, n in
            let out = try microBatch(indices)
            for (k, v) in out.metrics { metrics[k, default: 0] += v / Double(n) }
            return out.loss
        }
        let log = loop.finishStep(loss: loss, metrics: metrics)
        syncReferenceIfDue()
        return log
    }
}
