// One optimizer step of DPOTrainer: accumulate micro-batch gradients, clip, update, schedule.
import AlignModels
import AlignTensor

extension DPOTrainer {
    /// Loss and metrics of one micro-batch (recorded on the tape).
    func microBatch(_ indices: [Int]) throws -> ObjectiveOutput {
        let batch = PreferenceBatch.collate(indices.map { data[$0] }, padID: padID)
        let logps = try model.tokenLogProbs(batch.ids, labels: batch.labels, attentionMask: batch.attentionMask)
        let refs = indices.map { referenceLogps[$0].0 } + indices.map { referenceLogps[$0].1 }
        let ref = Tensor(zeros: [refs.count])
        ref.withUnsafeMutableBuffer { _ = $0.update(fromContentsOf: refs) }
        return try objective.compute(PreferenceLogps(tokenLogps: logps, completionMask: batch.completionMask, referenceLogps: ref))
    }

    /// Runs `gradient_accumulation_steps` micro-batches and one AdamW update; returns the step's log.
    func optimizerStep() throws -> StepLog {
        let accum = config.gradientAccumulationSteps
        var loss = 0.0
        var metrics: [String: Double] = [:]
        for _ in 0 ..< accum {
            let out = try microBatch(nextIndices())
            // Each micro-batch's loss is a batch mean; scaling by 1/accum makes the accumulated
            // gradient the mean over the whole effective batch (TRL's fix, methods §0.4 item 6).
            (out.loss * (1 / Float(accum))).backward()
            loss += Double(out.loss.item()) / Double(accum)
            for (k, v) in out.metrics { metrics[k, default: 0] += v / Double(accum) }
        }
        return loop.finishStep(loss: loss, metrics: metrics)
    }
}
