// The final model of RewardTrainer: a `*ForSequenceClassification` folder or a PEFT SEQ_CLS adapter. Checkpoints
// are TrainingLoop's, saved and resumed through LoopDriven (TrainingLoop+Checkpoint.swift: trainable tensors under
// their names — PEFT names under LoRA —, AdamW buffers, trainer_state.json with the loop position and the token
// count TRL logs as num_tokens), written atomically.
import AlignModels
import Foundation

extension RewardTrainer {
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
