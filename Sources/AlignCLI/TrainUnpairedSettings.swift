// TrainUnpairedSettings: the configuration of `align train kto` and `align train bco`, in TRL 1.16's
// KTOConfig names — TrainingArguments' keys (shared with `train dpo`), `beta` (0.1), `loss_type` (kto |
// apo_zero_unpaired), `desirable_weight` / `undesirable_weight` (1.0), `max_length` (1024; rows whose
// prompt alone fills it are dropped, longer sequences cut to their first max_length tokens). BCO takes
// `beta`, `max_length` and BCOConfig's UDM keys `prompt_sample_size` (1024), `min_density_ratio` (0.5),
// `max_density_ratio` (10), active when `udm_embedding_model` (an AlignKit key: TRL takes a Python embedding_func)
// names a decoder folder sharing the policy's tokenizer, whose mean-pooled final hidden states embed the prompts.
// Defaults where KTOConfig overrides TrainingArguments: learning_rate 1e-6, logging_steps 10, and
// sequential data order (`train_sampling_strategy: sequential`, here `shuffle: false`), which the KL
// estimate of `kto` requires. An unknown key is an error, so a typo cannot change a run unnoticed.
import AlignTokenizers
import AlignTraining
import Foundation

/// Which unpaired objective a run trains.
enum UnpairedObjectiveName: String { case kto, bco }

/// The merged settings of one unpaired run.
struct UnpairedRunSettings {
    let objective: UnpairedObjectiveName
    var training: TrainingConfig
    var kto = KTOConfig()
    var bcoBeta = 0.1
    /// BCO's UDM: the embedding model folder (nil: UDM off) and BCOConfig's sample size and ratio clip range.
    var udmEmbeddingModel: String?
    var promptSampleSize = 1024
    var minDensityRatio = 0.5, maxDensityRatio = 10.0
    /// KTOConfig's `max_length` (nil = no filter and no truncation).
    var maxLength: Int? = 1024
    /// TRL ModelConfig's LoRA keys (TrainLoRASettings.swift).
    var lora = LoRARunSettings()
    /// KTOConfig's / BCOConfig's `disable_dropout` (default true): LoRA dropout off while training.
    var disableDropout = true

    init(objective: UnpairedObjectiveName) {
        self.objective = objective
        training = TrainingConfig()
        training.learningRate = 1e-6  // KTOConfig's default (TrainingArguments: 5e-5)
        training.loggingSteps = 10    // KTOConfig's default (TrainingArguments: 500)
        training.shuffle = false      // KTOConfig's train_sampling_strategy "sequential"
    }

    static let ktoKeys: Set<String> = ["beta", "loss_type", "desirable_weight", "undesirable_weight", "max_length"]
    static let bcoKeys: Set<String> = [
        "beta", "max_length", "prompt_sample_size", "min_density_ratio", "max_density_ratio", "udm_embedding_model",
    ]

    static func knownKeys(_ o: UnpairedObjectiveName) -> Set<String> {
        TrainConfigFile.trainingKeys.union(o == .kto ? ktoKeys : bcoKeys).union(LoRARunSettings.keys).union(["disable_dropout"])
    }

    /// Reads a `.json` file as JSON and anything else as YAML, with this objective's keys.
    static func read(_ path: String, objective: UnpairedObjectiveName) throws -> [(String, ChatJSON)] {
        try TrainConfigFile.read(path, known: knownKeys(objective))
    }

    /// Builds the settings from key/value pairs (later pairs override earlier ones).
    static func settings(_ pairs: [(String, ChatJSON)], objective: UnpairedObjectiveName) throws -> UnpairedRunSettings {
        var s = UnpairedRunSettings(objective: objective)
        let known = knownKeys(objective)
        for (key, v) in pairs {
            guard known.contains(key) else { throw AlignCLIError.unknownConfigKey(file: "flags", key: key) }
            if try TrainConfigFile.applyTraining(key, v, to: &s.training) { continue }
            if try s.lora.apply(key, v) { continue }
            switch key {
            case "disable_dropout": s.disableDropout = try TrainConfigFile.bool(key, v)
            case "udm_embedding_model": s.udmEmbeddingModel = v == .null ? nil : try TrainConfigFile.string(key, v)
            case "prompt_sample_size": s.promptSampleSize = try TrainConfigFile.int(key, v)
            case "min_density_ratio": s.minDensityRatio = try TrainConfigFile.double(key, v)
            case "max_density_ratio": s.maxDensityRatio = try TrainConfigFile.double(key, v)
            case "beta":
                let b = try TrainConfigFile.double(key, v)
                guard b > 0 else { throw AlignCLIError.badConfigValue(key: key, value: "\(b)", expected: "> 0") }
                (s.kto.beta, s.bcoBeta) = (b, b)
            case "loss_type":
                let name = try TrainConfigFile.string(key, v)
                guard let t = KTOConfig.LossType(rawValue: name) else {
                    throw AlignCLIError.badConfigValue(key: key, value: name, expected: "kto or apo_zero_unpaired")
                }
                s.kto.lossType = t
            case "desirable_weight": s.kto.desirableWeight = try weight(key, v)
            case "undesirable_weight": s.kto.undesirableWeight = try weight(key, v)
            default: s.maxLength = try TrainConfigFile.maxLength(key, v)  // "max_length", the only key left
            }
        }
        try s.training.validate()
        return s
    }

    static func weight(_ key: String, _ v: ChatJSON) throws -> Double {
        let w = try TrainConfigFile.double(key, v)
        guard w >= 0 else { throw AlignCLIError.badConfigValue(key: key, value: "\(w)", expected: "≥ 0") }
        return w
    }
}
