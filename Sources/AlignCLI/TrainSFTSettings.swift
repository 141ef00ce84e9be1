// TrainSFTSettings: the merged settings of one `align train sft` run — TrainingArguments keys shared with
// `align train dpo` (TrainConfigFile.applyTraining) plus SFTConfig's dataset keys with TRL 1.16's names and
// defaults: max_length 1024, truncation_mode keep_start, completion_only_loss null (= true for
// prompt-completion data), packing false, packing_strategy bfd, loss_type nll (the only one supported),
// and SFTConfig's learning_rate default 2e-5. An unknown key or a bad value is an error naming the key.
import AlignData
import AlignTokenizers
import AlignTraining
import Foundation

/// The merged settings of one SFT run.
struct SFTRunSettings {
    var training: TrainingConfig = {
        var t = TrainingConfig()
        t.learningRate = 2e-5  // SFTConfig's default (TrainingConfig's 1e-6 is DPOConfig's)
        return t
    }()
    var data = SFTDataConfig()
    /// TRL ModelConfig's LoRA keys (TrainLoRASettings.swift); SFTConfig has no disable_dropout, so lora_dropout stays on.
    var lora = LoRARunSettings()

    static let sftKeys: Set<String> = [
        "max_length", "truncation_mode", "completion_only_loss", "packing", "packing_strategy", "loss_type",
        "dataset_text_field",
    ]

    /// Every key an SFT config file may hold.
    static var knownKeys: Set<String> { TrainConfigFile.trainingKeys.union(sftKeys).union(LoRARunSettings.keys) }

    /// Builds the settings from key/value pairs (later pairs override earlier ones).
    static func from(_ pairs: [(String, ChatJSON)]) throws -> SFTRunSettings {
        var s = SFTRunSettings()
        for (key, value) in pairs {
            if try TrainConfigFile.applyTraining(key, value, to: &s.training) { continue }
            if try s.lora.apply(key, value) { continue }
            try s.apply(key, value)
        }
        try s.training.validate()
        return s
    }

    mutating func apply(_ key: String, _ v: ChatJSON) throws {
        switch key {
        case "max_length": data.maxLength = try TrainConfigFile.maxLength(key, v)
        case "truncation_mode": data.truncationMode = try TrainConfigFile.truncationMode(key, v)
        case "completion_only_loss": data.completionOnlyLoss = v == .null ? nil : try TrainConfigFile.bool(key, v)
        case "packing": data.packing = try TrainConfigFile.bool(key, v)
        case "packing_strategy":
            let name = try TrainConfigFile.string(key, v)
            guard let p = PackingStrategy(rawValue: name) else {
                throw AlignCLIError.badConfigValue(key: key, value: name, expected: "bfd, bfd_split or wrapped")
            }
            data.packingStrategy = p
        case "loss_type":
            let name = try TrainConfigFile.string(key, v)
            guard name == "nll" else { throw AlignCLIError.badConfigValue(key: key, value: name, expected: "nll (dft is not implemented)") }
        case "dataset_text_field":
            let name = try TrainConfigFile.string(key, v)
            guard name == "text" else { throw AlignCLIError.badConfigValue(key: key, value: name, expected: "text (the only supported column)") }
        default: throw AlignCLIError.unknownConfigKey(file: "flags", key: key)
        }
    }
}
