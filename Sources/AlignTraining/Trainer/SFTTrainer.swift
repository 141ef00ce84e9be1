// SFTTrainer: supervised fine-tuning as TRL 1.16's SFTTrainer computes it (trl/trainer/sft_trainer.py
// `compute_loss`, loss_type "nll"). The loss of an optimizer step is the token-level mean negative
// log-likelihood over every target token of the whole effective batch (all gradient_accumulation_steps
// micro-batches; the last step of an epoch has only the epoch's remaining micro-batches, as in transformers'
// Trainer): each micro-batch contributes Σ −log π(label) / N, where N = `num_items_in_batch`, the
// count of shifted labels ≠ −100 over the step's micro-batches (transformers Trainer._get_num_items_in_batch,
// clamped to ≥ 1 as TRL does). So a long example weighs by its tokens, and k accumulated micro-batches give
// the same update as one batch of k times the size. Optimizer, schedule, order, checkpoints: TrainingLoop.
// Logged metrics: `num_tokens` (tokens seen so far, TRL's name). TRL's `entropy` and `mean_token_accuracy`
// need the full logits and are not computed.
import AlignData
import AlignModels
import AlignTensor
import Foundation

/// Trains a DecoderModel on tokenized SFT examples.
///
/// ```swift
/// let data = try SFTTokenizer(directory: dir).prepare(try SFTExample.load(file), config: SFTDataConfig())
/// let trainer = try SFTTrainer(model: model, config: training, data: data.examples, padID: pad)
/// let logs = try trainer.train()
/// ```
public final class SFTTrainer: LoopDriven {
    /// The model being trained (its trainable parameters, or its attached LoRA adapters).
    public let model: DecoderModel
    /// The run's settings.
    public let config: TrainingConfig
    /// Training examples (one sequence each, or the sequences of a bfd bin).
    public let data: [SFTPackedExample]
    /// The id right padding uses (TRL: the tokenizer's pad token, else EOS).
    public let padID: Int32
    /// Optimizer, schedule, data order, loop position and checkpoints.
    public let loop: TrainingLoop

    /// - Throws: `TrainingError.invalidConfig` for a bad config, no examples, or nothing trainable.
    public init(model: DecoderModel, config: TrainingConfig, data: [SFTPackedExample], padID: Int32) throws {
        loop = try TrainingLoop(model: model, config: config, exampleCount: data.count)
        self.model = model
        self.config = config
        self.data = data
        self.padID = padID
    }

    /// Σ −log π(label) over the batch's targets (scalar, on the tape).
    func negativeLogLikelihood(_ batch: SFTBatch) throws -> Tensor {
        let logps = try model.tokenLogProbs(batch.ids, labels: batch.labels, attentionMask: batch.attentionMask)  // [R, T]
        return -logps.sum()
    }

    /// One optimizer step: the step's micro-batches (TrainingLoop.nextStepIndices) are collated first so N is known,
    /// then each is run forward and backward with its loss divided by N (not TrainingLoop.averagedStep, which divides
    /// by the micro-batch count).
    public func optimizerStep() throws -> StepLog {
        let batches = loop.nextStepIndices().map { SFTBatch.collate($0.map { data[$0] }, padID: padID) }
        // TRL: `loss = per_token_loss.sum() / num_items_in_batch.clamp(min=1)`.
        let n = Float(max(batches.reduce(0) { $0 + $1.targetCount }, 1))
        var total = 0.0
        for batch in batches {
            let loss = try negativeLogLikelihood(batch) / n
            loss.backward()
            total += Double(loss.item())
            loop.countTokens(batch.tokenCount)
        }
        return loop.finishStep(loss: total, metrics: ["num_tokens": Double(loop.state.numTokens ?? 0)])
    }
}
