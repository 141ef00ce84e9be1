// TrainLoRASettings: LoRA for `align train dpo|sft|kto|bco`, configured with TRL 1.16 ModelConfig's keys —
// `use_peft` (false), `lora_r` (16), `lora_alpha` (32), `lora_dropout` (0.05), `lora_target_modules` (TRL: None, so
// PEFT's per-architecture default, q_proj and v_proj for the Llama/Qwen2/Mistral family) — as flags or config keys.
// With LoRA the base is frozen, only the adapters train, and output_dir receives PEFT's adapter folder
// (adapter_config.json + adapter_model.safetensors, DecoderModel+Adapter) instead of full weights; `align merge
// --model BASE --adapter OUT` folds it in. TRL's `disable_dropout` (DPOConfig, KTOConfig: true) also zeroes the
// LoRA dropout during training (its disable_dropout_in_model runs after the PEFT wrap); SFTConfig has no such key,
// so SFT keeps lora_dropout on. (`align train reward` reads the same keys in TrainRewardSettings.swift.)
import AlignData
import AlignModels
import AlignTokenizers
import ArgumentParser
import Foundation

/// TRL ModelConfig's LoRA settings of one run.
struct LoRARunSettings: Equatable {
    var usePeft = false
    var r = 16
    var alpha = 32.0
    var dropout = 0.05
    var targetModules = ["q_proj", "v_proj"]

    static let keys: Set<String> = ["use_peft", "lora_r", "lora_alpha", "lora_dropout", "lora_target_modules"]

    /// Assigns a LoRA key; false when `key` is not one.
    mutating func apply(_ key: String, _ v: ChatJSON) throws -> Bool {
        switch key {
        case "use_peft": usePeft = try TrainConfigFile.bool(key, v)
        case "lora_r":
            r = try TrainConfigFile.int(key, v)
            guard r >= 1 else { throw AlignCLIError.badConfigValue(key: key, value: "\(r)", expected: "≥ 1") }
        case "lora_alpha": alpha = try TrainConfigFile.double(key, v)
        case "lora_dropout":
            dropout = try TrainConfigFile.double(key, v)
            guard dropout >= 0 && dropout < 1 else { throw AlignCLIError.badConfigValue(key: key, value: "\(dropout)", expected: "in [0, 1)") }
        case "lora_target_modules": targetModules = try RewardRunSettings.targets(key, v)
        default: return false
        }
        return true
    }

    /// The adapter configuration, or nil for full fine-tuning.
    var config: LoRAConfig? {
        usePeft ? LoRAConfig(rank: r, alpha: Float(alpha), dropout: Float(dropout), targetModules: targetModules) : nil
    }

    /// Makes `model` trainable: LoRA adapters drawn from `seed` on a frozen base, or every weight.
    /// `disableDropout` turns the adapters' dropout off for training (TRL's disable_dropout).
    func prepare(_ model: DecoderModel, seed: UInt64, disableDropout: Bool) throws {
        guard let config else {
            model.setTrainable(true)  // full fine-tuning: loaded weights start frozen
            return
        }
        try model.attachLoRA(config, seed: seed, file: "lora_target_modules")
        if disableDropout { model.setLoRATraining(false) }
    }

    /// Saves the run's result: the PEFT adapter folder plus tokenizer files with LoRA, else the full model folder.
    func saveFinal(_ model: DecoderModel, from modelDirectory: URL, to out: URL, chatTemplateSource: String?) throws {
        guard usePeft else {
            try TrainRunFiles.saveFinalModel(model, from: modelDirectory, to: out, chatTemplateSource: chatTemplateSource)
            return
        }
        try model.saveLoRA(to: out)
        try TrainRunFiles.copyFiles(["generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                                     "chat_template.jinja"], from: modelDirectory, to: out, chatTemplateSource: chatTemplateSource)
    }
}

/// The LoRA flags (TRL's ModelConfig names in kebab case).
struct LoRAOptions: ParsableArguments {
    @Flag(help: "Train LoRA adapters on a frozen base and save a PEFT adapter (TRL use_peft).") var usePeft = false
    @Option(help: "LoRA rank (default 16).") var loraR: Int?
    @Option(help: "LoRA alpha (default 32).") var loraAlpha: Double?
    @Option(help: "LoRA dropout (default 0.05; off in training unless disable_dropout is false, except for sft).")
    var loraDropout: Double?
    @Option(parsing: .upToNextOption, help: "Modules to adapt (default q_proj v_proj).") var loraTargetModules: [String] = []

    init() {}

    /// The flags as config pairs.
    func pairs() -> [(String, ChatJSON)] {
        var p: [(String, ChatJSON)] = []
        if usePeft { p.append(("use_peft", .bool(true))) }
        if let v = loraR { p.append(("lora_r", .int(v))) }
        if let v = loraAlpha { p.append(("lora_alpha", .double(v))) }
        if let v = loraDropout { p.append(("lora_dropout", .double(v))) }
        if !loraTargetModules.isEmpty { p.append(("lora_target_modules", .array(loraTargetModules.map { .string($0) }))) }
        return p
    }
}
