// TrainConfigFile: a training configuration as TRL writes it — a JSON object or a flat YAML mapping with
// snake_case keys (DPOConfig's and TrainingArguments' names) — merged with command-line flags (flags win)
// and turned into TrainingConfig + the objective's config (DPOConfig, CPOConfig or ORPOConfig, chosen by
// `objective`) + the dataset settings `max_length` / `truncation_mode`.
// The YAML subset read here is what TRL example configs use: `key: value` lines, `#` comments, scalars
// (quoted or plain strings, numbers, true/false, null) and lists (flow `[a, b]` or block `- a` lines).
// An unknown key is an error rather than silently ignored, so a typo cannot change a run unnoticed.
import AlignData
import AlignTokenizers
import AlignTraining
import Foundation

/// The merged settings of one pairwise run (DPO, CPO/SimPO or ORPO; TrainPairwiseObjective.swift).
struct DPORunSettings {
    var training = TrainingConfig()
    var objective = PairwiseObjectiveName.dpo
    var dpo = DPOConfig()
    var cpo = CPOConfig()
    var orpo = ORPOConfig()
    var asft = ASFTLoss()
    /// TRL DPOConfig's `max_length` (default 1024; nil = no truncation).
    var maxLength: Int? = 1024
    var truncationMode = TruncationMode.keepStart
    /// Folder of the reference log-prob cache (`ref_logps_cache_dir`, an AlignKit key; nil: recompute every run).
    var refLogpsCacheDir: String?
    /// A reference model folder (TRL's `ref_model`, e.g. an `align merge --soup` for SALSA); nil: the initial policy.
    var refModel: String?
    /// TR-DPO: `sync_ref_model`, `ref_model_mixup_alpha`, `ref_model_sync_steps` (DPOConfig's names and defaults).
    var referenceSync = ReferenceSync()
    /// DPOConfig's `precompute_ref_log_probs` (default false). AlignKit computes a fixed reference's log-probs once
    /// either way (the same values TRL computes per batch); the key is read so that `true` with `sync_ref_model`
    /// fails as it does in TRL.
    var precomputeRefLogProbs = false
    /// TRL ModelConfig's LoRA keys (`use_peft`, `lora_r`, …); off: full fine-tuning.
    var lora = LoRARunSettings()
    /// DPOConfig's `disable_dropout` (default true): LoRA dropout off while training.
    var disableDropout = true
}

enum TrainConfigFile {
    static let trainingKeys: Set<String> = [
        "learning_rate", "max_steps", "num_train_epochs", "per_device_train_batch_size", "gradient_accumulation_steps", "max_grad_norm",
        "weight_decay", "lr_scheduler_type", "warmup_steps", "logging_steps", "save_steps", "seed", "shuffle", "output_dir",
    ]
    static let dpoKeys: Set<String> = [
        "beta", "loss_type", "loss_weights", "label_smoothing", "f_divergence_type", "f_alpha_divergence_coef",
        "ld_alpha", "use_weighting", "discopop_tau",
    ]
    static let dataKeys: Set<String> = Set([
        "max_length", "truncation_mode", "ref_logps_cache_dir", "ref_model", "precompute_ref_log_probs",
        "sync_ref_model", "ref_model_mixup_alpha", "ref_model_sync_steps", "disable_dropout",
    ]).union(LoRARunSettings.keys)

    /// Reads a DPO config file (see `read(_:known:)`).
    static func read(_ path: String) throws -> [(String, ChatJSON)] { try read(path, known: nil) }

    /// Reads a `.json` file as JSON and anything else as YAML; a key outside `known` (DPO's keys when nil) is an error.
    static func read(_ path: String, known: Set<String>?) throws -> [(String, ChatJSON)] {
        let text: String
        do { text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8) } catch {
            throw AlignCLIError.unreadableConfig(file: path, reason: error.localizedDescription)
        }
        let pairs: [(String, ChatJSON)]
        if path.hasSuffix(".json") {
            guard case let .object(obj)? = try? ChatJSON.parse(text) else {
                throw AlignCLIError.configSyntax(file: path, line: 1, reason: "expected one JSON object")
            }
            pairs = obj
        } else {
            pairs = try FlatYAML.parse(text, file: path)
        }
        let known = known ?? trainingKeys.union(PairwiseObjectiveName.allKeys).union(dataKeys)
        if let bad = pairs.first(where: { !known.contains($0.0) }) { throw AlignCLIError.unknownConfigKey(file: path, key: bad.0) }
        return pairs
    }

    /// Builds the run settings from key/value pairs (later pairs override earlier ones).
    static func settings(_ pairs: [(String, ChatJSON)]) throws -> DPORunSettings {
        var s = DPORunSettings()
        var dpoPairs: [(String, ChatJSON)] = []
        for (key, value) in pairs {
            if key == "objective" { s.objective = try PairwiseObjectiveName.parse(value); continue }
            if PairwiseObjectiveName.allKeys.contains(key) { dpoPairs.append((key, value)); continue }
            try apply(key, value, to: &s)
        }
        if let bad = dpoPairs.first(where: { !s.objective.keys.contains($0.0) }) {
            throw AlignCLIError.badConfigValue(key: bad.0, value: "\(foundation(bad.1))",
                                               expected: "no such key for objective \(s.objective.rawValue)")
        }
        switch s.objective {
        case .cpo: s.cpo = try cpoConfig(dpoPairs)
        case .orpo: s.orpo = try orpoConfig(dpoPairs)
        case .dpo: s.dpo = try dpoConfig(dpoPairs)
        case .asft: s.asft = try asftLoss(dpoPairs)
        }
        try s.training.validate()
        try checkReferenceSync(s)
        return s
    }

    /// TR-DPO's sync needs a live reference: no precomputed or cached reference log-probs, a reference-based objective
    /// (TRL DPOTrainer raises for `precompute_ref_log_probs=True`; CPO and ORPO have no reference).
    static func checkReferenceSync(_ s: DPORunSettings) throws {
        let sync = s.referenceSync
        do { try sync.validate() } catch let TrainingError.invalidConfig(field, value, expected) {
            throw AlignCLIError.badConfigValue(key: field, value: value, expected: expected)
        }
        guard sync.syncRefModel else { return }
        func bad(_ key: String, _ value: String) -> AlignCLIError {
            .badConfigValue(key: key, value: value, expected: "unset with sync_ref_model: true (a synced reference changes during training)")
        }
        if s.precomputeRefLogProbs { throw bad("precompute_ref_log_probs", "true") }
        if let dir = s.refLogpsCacheDir { throw bad("ref_logps_cache_dir", dir) }
        if s.objective != .dpo {
            throw AlignCLIError.badConfigValue(key: "sync_ref_model", value: "true",
                                               expected: "objective dpo (\(s.objective.rawValue) has no reference model)")
        }
    }

    /// DPOConfig from its TRL keys, through DPOConfig's own decoder (which keeps TRL's defaults).
    static func dpoConfig(_ dpoPairs: [(String, ChatJSON)]) throws -> DPOConfig {
        let json = try JSONSerialization.data(withJSONObject: Dictionary(dpoPairs.map { ($0.0, foundation($0.1)) },
                                                                         uniquingKeysWith: { $1 }))
        do { return try JSONDecoder().decode(DPOConfig.self, from: json) } catch let e as TrainingError { throw e } catch {
            throw AlignCLIError.badConfigValue(key: "DPOConfig", value: String(decoding: json, as: UTF8.self), expected: "\(error)")
        }
    }
}
