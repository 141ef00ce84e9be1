// TrainRewardSettings: the configuration of `align train reward`, in TRL 1.16's RewardConfig names —
// TrainingArguments' keys (shared with `train dpo`), `max_length` (default 1024: longer pairs are dropped,
// not truncated), `center_rewards_coefficient` (default null) — plus TRL's ModelConfig LoRA keys
// `use_peft`, `lora_r` (16), `lora_alpha` (32), `lora_dropout` (0.05), `lora_target_modules`, and
// `disable_dropout` (default true: TRL sets every nn.Dropout's p to 0 after wrapping the model with PEFT,
// so LoRA dropout is off in training although adapter_config.json keeps lora_dropout). Defaults are
// RewardConfig's where it overrides TrainingArguments: learning_rate 1e-4 and logging_steps 10.
// An unknown key is an error, so a typo cannot change a run unnoticed.
import AlignModels
import AlignTokenizers
import AlignTraining
import Foundation

/// The merged settings of one reward-model run.
struct RewardRunSettings {
    var training: TrainingConfig
    var reward = RewardConfig()
    /// RewardConfig's `max_length` (nil = no filter).
    var maxLength: Int? = 1024
    /// LoRA on the decoder (+ the head trained whole), when `use_peft` is true.
    var lora: LoRAConfig?
    /// RewardConfig's `disable_dropout` (default true): LoRA dropout off while training.
    var disableDropout = true

    init() {
        training = TrainingConfig()
        training.learningRate = 1e-4  // RewardConfig's default (TrainingArguments: 5e-5)
        training.loggingSteps = 10    // RewardConfig's default (TrainingArguments: 500)
    }

    static let rewardKeys: Set<String> = ["center_rewards_coefficient", "max_length", "disable_dropout"]
    static let loraKeys: Set<String> = ["use_peft", "lora_r", "lora_alpha", "lora_dropout", "lora_target_modules"]
    static var knownKeys: Set<String> { TrainConfigFile.trainingKeys.union(rewardKeys).union(loraKeys) }

    /// Reads a `.json` file as JSON and anything else as YAML (`train dpo`'s reader, reward-model keys).
    static func read(_ path: String) throws -> [(String, ChatJSON)] { try TrainConfigFile.read(path, known: knownKeys) }

    /// Builds the settings from key/value pairs (later pairs override earlier ones).
    static func settings(_ pairs: [(String, ChatJSON)]) throws -> RewardRunSettings {
        var s = RewardRunSettings()
        var scratch = DPORunSettings()  // TrainConfigFile.apply assigns TrainingArguments keys and max_length
        scratch.training = s.training
        var lora = (use: false, r: 16, alpha: 32.0, dropout: 0.05, targets: ["q_proj", "v_proj"])
        for (key, v) in pairs {
            switch key {
            case "center_rewards_coefficient":
                s.reward.centerRewardsCoefficient = v == .null ? nil : try TrainConfigFile.double(key, v)
            case "disable_dropout": s.disableDropout = try TrainConfigFile.bool(key, v)
            case "use_peft": lora.use = try TrainConfigFile.bool(key, v)
            case "lora_r": lora.r = try TrainConfigFile.int(key, v)
            case "lora_alpha": lora.alpha = try TrainConfigFile.double(key, v)
            case "lora_dropout": lora.dropout = try TrainConfigFile.double(key, v)
            case "lora_target_modules": lora.targets = try targets(key, v)
            default:
                guard knownKeys.contains(key) else { throw AlignCLIError.unknownConfigKey(file: "flags", key: key) }
                try TrainConfigFile.apply(key, v, to: &scratch)
            }
        }
        (s.training, s.maxLength) = (scratch.training, scratch.maxLength)
        if lora.use {
            s.lora = LoRAConfig(rank: lora.r, alpha: Float(lora.alpha), dropout: Float(lora.dropout), targetModules: lora.targets)
        }
        try s.training.validate()
        return s
    }

    /// `lora_target_modules`: a list of module names, or one name.
    static func targets(_ key: String, _ v: ChatJSON) throws -> [String] {
        switch v {
        case .string(let s): return [s]
        case .array(let items):
            return try items.map { try TrainConfigFile.string(key, $0) }
        default: throw AlignCLIError.badConfigValue(key: key, value: "\(v)", expected: "a module name or a list of them")
        }
    }
}
