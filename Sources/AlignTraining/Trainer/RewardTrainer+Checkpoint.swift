// Checkpoints and the final model of RewardTrainer. Checkpoints are TrainingLoop's
// (TrainingLoop+Checkpoint.swift: trainable tensors under their names — PEFT names under LoRA —, AdamW
// buffers, trainer_state.json with the loop position and the token count TRL logs as num_tokens), written
// atomically. The final model is a `*ForSequenceClassification` folder or a PEFT SEQ_CLS adapter.
import AlignModels
import Foundation

extension RewardTrainer {
    /// Writes `checkpoint-<step>` in `directory` atomically and returns its URL.
    @discardableResult
    public func saveCheckpoint(in directory: URL) throws -> URL { try loop.saveCheckpoint(in: directory) }

    /// Restores weights, optimizer buffers, scheduler, loop position and token count from a checkpoint.
    public func resume(from checkpoint: URL) throws { try loop.resume(from: checkpoint) }

    /// Writes the trained model to `directory`: a PEFT SEQ_CLS adapter under LoRA, otherwise a
    /// `*ForSequenceClassification` folder (model.safetensors + config.json derived from `baseConfig`).
    public func saveModel(to directory: URL, baseConfig: URL) throws {
        if model.base.loraConfig != nil {
            try model.saveLoRA(to: directory)
        } else {
            try model.save(to: directory, baseConfig: baseConfig)
        }
    }
}
