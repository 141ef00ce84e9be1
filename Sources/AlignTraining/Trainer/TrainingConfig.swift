// TrainingConfig: the loop's settings, with TRL/transformers TrainingArguments names and TRL's DPO
// defaults (learning_rate 1e-6, linear schedule, batch 8, max_grad_norm 1, seed 42). `shuffle: false`
// keeps the data order sequential, which parity runs use on both sides. The run's length is transformers'
// rule (Trainer.set_initial_training_values, transformers 5.x): `max_steps` when > 0, else
// ceil(`num_train_epochs` (3) × optimizer steps per epoch) — `resolvedMaxSteps(exampleCount:)`.
import Foundation

/// Settings of a training run, decodable from TRL-style snake_case JSON.
public struct TrainingConfig: Codable, Sendable, Equatable {
    public var learningRate: Double = 1e-6
    /// Optimizer steps; -1 (transformers' default) trains `num_train_epochs` epochs instead.
    public var maxSteps: Int = -1
    /// Epochs when `max_steps` is -1 (transformers' default 3.0; fractions stop mid-epoch).
    public var numTrainEpochs: Double = 3
    public var perDeviceTrainBatchSize: Int = 8
    public var gradientAccumulationSteps: Int = 1
    public var maxGradNorm: Double = 1
    public var weightDecay: Double = 0
    /// "linear", "cosine", "constant" or "constant_with_warmup".
    public var lrSchedulerType: String = "linear"
    public var warmupSteps: Int = 0
    public var loggingSteps: Int = 10
    /// Checkpoint every N optimizer steps (0 = only at the end).
    public var saveSteps: Int = 0
    public var seed: UInt64 = 42
    public var shuffle: Bool = true
    public var outputDir: String = "output"

    enum CodingKeys: String, CodingKey {
        case learningRate = "learning_rate", maxSteps = "max_steps", numTrainEpochs = "num_train_epochs", perDeviceTrainBatchSize = "per_device_train_batch_size"
        case gradientAccumulationSteps = "gradient_accumulation_steps", maxGradNorm = "max_grad_norm"
        case weightDecay = "weight_decay", lrSchedulerType = "lr_scheduler_type", warmupSteps = "warmup_steps"
        case loggingSteps = "logging_steps", saveSteps = "save_steps", seed, shuffle, outputDir = "output_dir"
    }

    public init() {}

    /// Cross-field checks; errors name the field.
    public func validate() throws {
        func bad(_ f: String, _ v: Any, _ e: String) -> TrainingError { .invalidConfig(field: f, value: "\(v)", expected: e) }
        if !(learningRate >= 0) { throw bad("learning_rate", learningRate, "≥ 0") }
        if maxSteps < 1 && maxSteps != -1 { throw bad("max_steps", maxSteps, "≥ 1, or -1 to train num_train_epochs") }
        if maxSteps == -1 && !(numTrainEpochs > 0 && numTrainEpochs.isFinite) {
            throw bad("num_train_epochs", numTrainEpochs, "> 0 (or max_steps ≥ 1)")
        }
        if perDeviceTrainBatchSize < 1 { throw bad("per_device_train_batch_size", perDeviceTrainBatchSize, "≥ 1") }
        if gradientAccumulationSteps < 1 { throw bad("gradient_accumulation_steps", gradientAccumulationSteps, "≥ 1") }
        if !["linear", "cosine", "constant", "constant_with_warmup"].contains(lrSchedulerType) {
            throw bad("lr_scheduler_type", lrSchedulerType, "linear, cosine, constant or constant_with_warmup")
        }
    }

    /// The optimizer steps this config trains on `exampleCount` examples: `max_steps` when > 0, else
    /// ceil(num_train_epochs × steps per epoch), where an epoch is ceil(examples / batch) micro-batches and
    /// its last optimizer step takes the remainder (transformers' `num_update_steps_per_epoch`:
    /// len_dataloader // accumulation + (len_dataloader % accumulation > 0), at least 1).
    public func resolvedMaxSteps(exampleCount: Int) -> Int {
        if maxSteps > 0 { return maxSteps }
        let microBatches = (max(exampleCount, 0) + perDeviceTrainBatchSize - 1) / max(perDeviceTrainBatchSize, 1)
        let perEpoch = max((microBatches + gradientAccumulationSteps - 1) / max(gradientAccumulationSteps, 1), 1)
        return Int((numTrainEpochs * Double(perEpoch)).rounded(.up))
    }
}
