// TrainingConfig: the loop's settings, with TRL/transformers TrainingArguments names and TRL's DPO
// defaults (learning_rate 1e-6, linear schedule, batch 8, max_grad_norm 1, seed 42). `shuffle: false`
// keeps the data order sequential, which parity runs use on both sides.
import Foundation

/// Settings of a training run, decodable from TRL-style snake_case JSON.
public struct TrainingConfig: Codable, Sendable, Equatable {
    public var learningRate: Double = 1e-6
    public var maxSteps: Int = 100
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
        case learningRate = "learning_rate", maxSteps = "max_steps", perDeviceTrainBatchSize = "per_device_train_batch_size"
        case gradientAccumulationSteps = "gradient_accumulation_steps", maxGradNorm = "max_grad_norm"
        case weightDecay = "weight_decay", lrSchedulerType = "lr_scheduler_type", warmupSteps = "warmup_steps"
        case loggingSteps = "logging_steps", saveSteps = "save_steps", seed, shuffle, outputDir = "output_dir"
    }

    public init() {}

    /// Cross-field checks; errors name the field.
    public func validate() throws {
        func bad(_ f: String, _ v: Any, _ e: String) -> TrainingError { .invalidConfig(field: f, value: "\(v)", expected: e) }
        if !(learningRate >= 0) { throw bad("learning_rate", learningRate, "≥ 0") }
        if maxSteps < 1 { throw bad("max_steps", maxSteps, "≥ 1") }
        if perDeviceTrainBatchSize < 1 { throw bad("per_device_train_batch_size", perDeviceTrainBatchSize, "≥ 1") }
        if gradientAccumulationSteps < 1 { throw bad("gradient_accumulation_steps", gradientAccumulationSteps, "≥ 1") }
        if !["linear", "cosine", "constant", "constant_with_warmup"].contains(lrSchedulerType) {
            throw bad("lr_scheduler_type", lrSchedulerType, "linear, cosine, constant or constant_with_warmup")
        }
    }
}
