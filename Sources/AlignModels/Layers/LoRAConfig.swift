// LoRAConfig: the part of PEFT's adapter_config.json (peft 0.21 LoraConfig) that AlignKit computes —
// r, lora_alpha, target_modules, lora_dropout, use_rslora, fan_in_fan_out — read from and written to
// the file PEFT reads. Fields that would change the math in ways not implemented here (DoRA, bias
// training, per-module rank/alpha patterns, modules_to_save, layer selection, …) are refused by name.
import Foundation

/// A LoRA adapter's hyper-parameters, as PEFT's `LoraConfig` names them.
public struct LoRAConfig: Equatable, Sendable {
    /// r
    public var rank: Int
    /// lora_alpha; the update is scaled by alpha / r (alpha / √r with rsLoRA).
    public var alpha: Float
    /// lora_dropout, applied to the adapter's input in training.
    public var dropout: Float
    /// target_modules: a module is adapted when its name equals an entry or ends with "." + entry.
    /// Kept sorted and unique (PEFT stores a set, so the file's order means nothing).
    public var targetModules: [String]
    /// use_rslora
    public var useRSLoRA: Bool
    /// fan_in_fan_out: true for GPT-2's Conv1D weights ([in, out]).
    public var fanInFanOut: Bool

    /// A configuration with PEFT's defaults for everything else (bias "none", no DoRA, task CAUSAL_LM).
    public init(rank: Int, alpha: Float, dropout: Float = 0, targetModules: [String], useRSLoRA: Bool = false,
                fanInFanOut: Bool = false) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targetModules = Array(Set(targetModules)).sorted()
        self.useRSLoRA = useRSLoRA
        self.fanInFanOut = fanInFanOut
    }

    /// PEFT's match rule for a list of targets (peft/tuners/tuners_utils.py `check_target_module_exists`).
    public func matches(_ moduleName: String) -> Bool {
        targetModules.contains { moduleName == $0 || moduleName.hasSuffix("." + $0) }
    }

    /// adapter_config.json text: the keys PEFT needs, sorted, as `json.dumps(indent=2, sort_keys=True)` lays them out.
    /// `modulesToSave` and `taskType` default to a causal LM's (none, "CAUSAL_LM"); a sequence classifier
    /// passes `["classifier", "score"]` and "SEQ_CLS", as PEFT writes them.
    public func jsonText(modulesToSave: [String]? = nil, taskType: String = "CAUSAL_LM") -> String {
        let alphaText = alpha == alpha.rounded() && abs(alpha) < 1e9 ? String(Int(alpha)) : "\(alpha)"
        func list(_ items: [String]) -> String { "[\n" + items.map { "    " + JSONText.quoted($0) }.joined(separator: ",\n") + "\n  ]" }
        let fields: [(String, String)] = [
            ("alpha_pattern", "{}"), ("base_model_name_or_path", "null"), ("bias", "\"none\""),
            ("fan_in_fan_out", "\(fanInFanOut)"), ("inference_mode", "true"), ("init_lora_weights", "true"),
            ("layers_to_transform", "null"), ("lora_alpha", alphaText), ("lora_dropout", "\(Double(dropout))"),
            ("modules_to_save", modulesToSave.map(list) ?? "null"), ("peft_type", "\"LORA\""), ("r", "\(rank)"),
            ("rank_pattern", "{}"), ("target_modules", list(targetModules)), ("task_type", JSONText.quoted(taskType)), ("use_dora", "false"),
            ("use_rslora", "\(useRSLoRA)"),
        ]
        return "{\n" + fields.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    /// Reads adapter_config.json.
    /// - Throws: `unreadableFile`, `invalidConfig`, `missingConfigKey`, or `unsupportedConfigValue` naming the key.
    public init(contentsOf url: URL) throws {
        let file = url.path
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw AlignModelsError.unreadableFile(file: file, reason: "\(error.localizedDescription)")
        }
        guard let json = object as? [String: Any] else {
            throw AlignModelsError.invalidConfig(file: file, key: "(root)", reason: "expected a JSON object")
        }
        try self.init(json: json, file: file)
    }

    /// Reads a decoded adapter_config.json object; `file` names it in errors.
    init(json: [String: Any], file: String) throws {
        try Self.rejectUnsupported(json, file: file)
        guard let r = json["r"] as? Int, r > 0 else {
            throw json["r"] == nil ? AlignModelsError.missingConfigKey(file: file, key: "r")
                : AlignModelsError.invalidConfig(file: file, key: "r", reason: "expected a positive integer")
        }
        guard let alpha = (json["lora_alpha"] as? NSNumber)?.floatValue else {
            throw AlignModelsError.missingConfigKey(file: file, key: "lora_alpha")
        }
        let targets: [String]
        if let list = json["target_modules"] as? [String], !list.isEmpty { targets = list } else {
            throw AlignModelsError.invalidConfig(file: file, key: "target_modules",
                                                 reason: "expected a non-empty list of module names (regex strings are not supported)")
        }
        let dropout = (json["lora_dropout"] as? NSNumber)?.floatValue ?? 0
        guard dropout >= 0 && dropout < 1 else {
            throw AlignModelsError.invalidConfig(file: file, key: "lora_dropout", reason: "expected a value in [0, 1)")
        }
        self.init(rank: r, alpha: alpha, dropout: dropout, targetModules: targets,
                  useRSLoRA: json["use_rslora"] as? Bool ?? false, fanInFanOut: json["fan_in_fan_out"] as? Bool ?? false)
    }

    /// Keys whose non-default values change what the adapter computes.
    static func rejectUnsupported(_ json: [String: Any], file: String) throws {
        func reject(_ key: String, _ value: String, _ reason: String) throws {
            throw AlignModelsError.unsupportedConfigValue(file: file, key: key, value: value, reason: reason)
        }
        if let t = json["peft_type"] as? String, t != "LORA" { try reject("peft_type", "\"\(t)\"", "only LoRA adapters are implemented") }
        if let b = json["bias"] as? String, b != "none" { try reject("bias", "\"\(b)\"", "trained biases are not implemented") }
        for key in ["use_dora", "lora_bias"] where json[key] as? Bool == true {
            try reject(key, "true", "not implemented")
        }
        for key in ["rank_pattern", "alpha_pattern"] {
            if let p = json[key] as? [String: Any], !p.isEmpty { try reject(key, "\(p.keys.sorted())", "per-module ranks are not implemented") }
        }
        for key in ["modules_to_save", "layers_to_transform", "target_parameters", "trainable_token_indices", "layer_replication"] {
            if let v = json[key], !(v is NSNull) { try reject(key, "\(v)", "not implemented") }
        }
    }
}
