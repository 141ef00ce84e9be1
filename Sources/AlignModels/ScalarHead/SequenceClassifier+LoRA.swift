// LoRA on a SequenceClassifier, as PEFT applies it for task_type "SEQ_CLS" (peft 0.21
// PeftModelForSequenceClassification): adapters on the decoder's projections like a causal LM's,
// base frozen, and the head `score` fully trainable through `modules_to_save` — PEFT wraps it in a
// ModulesToSaveWrapper holding a trainable copy beside the original, and adds "classifier" and
// "score" to modules_to_save in adapter_config.json. The adapter file stores the trained copy as
// `base_model.model.score.weight` (get_peft_model_state_dict drops the `modules_to_save.default`
// infix), next to the `base_model.model.model.layers.…lora_A/B.weight` tensors.
import AlignTensor
import Foundation

extension SequenceClassifier {
    /// PEFT's `modules_to_save` for a sequence classifier (PeftModelForSequenceClassification adds both names).
    public static let peftModulesToSave = ["classifier", "score"]
    /// The adapter-file name of the trained head.
    static let adapterScoreName = "base_model.model.score.weight"

    /// Attaches fresh LoRA adapters to the decoder (see `DecoderModel.attachLoRA`), freezes the decoder,
    /// and makes `score.weight` trainable (PEFT's modules_to_save). Returns the adapted module paths.
    @discardableResult
    public func attachLoRA(_ lora: LoRAConfig, seed: UInt64, file: String = "attachLoRA") throws -> [String] {
        let paths = try base.attachLoRA(lora, seed: seed, file: file)
        if scoreBeforeAdapter == nil { scoreBeforeAdapter = score.weight.copy() }
        score.weight.requiresGrad = true
        return paths
    }

    /// The trainable tensors under PEFT's saved names: the adapters', then the head's.
    public func loraParameters() -> [(String, Tensor)] {
        base.loraParameters() + [(Self.adapterScoreName, score.weight)]
    }

    /// Writes adapter_config.json (task_type SEQ_CLS, modules_to_save classifier/score) and
    /// adapter_model.safetensors (adapters + `base_model.model.score.weight`), both atomically.
    /// - Throws: `invalidConfig` when no adapter is attached; `writeFailed` from the writers.
    public func saveLoRA(to directory: URL) throws {
        guard let lora = base.loraConfig else {
            throw AlignModelsError.invalidConfig(file: directory.path, key: "target_modules", reason: "no LoRA adapter is attached")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let entries = loraParameters().map { SafetensorsWriter.Entry($0.0, $0.1) }
        try SafetensorsWriter.write(entries, to: directory.appendingPathComponent("adapter_model.safetensors"))
        let text = lora.jsonText(modulesToSave: Self.peftModulesToSave, taskType: "SEQ_CLS")
        try AtomicFile.write(Array(text.utf8), to: directory.appendingPathComponent("adapter_config.json"))
    }

    /// Attaches the adapter in `directory` (PEFT SEQ_CLS layout) and loads its tensors, the head included.
    /// - Throws: config errors naming the key (`modules_to_save` other than classifier/score, `task_type`
    ///   other than SEQ_CLS), `missingTensor`, `unexpectedTensors`, `shapeMismatch`.
    @discardableResult
    public func loadLoRA(directory: URL) throws -> LoRAConfig {
        let configURL = directory.appendingPathComponent("adapter_config.json")
        var json = try SequenceClassificationConfig.object(at: configURL)
        try Self.checkSequenceClassificationAdapter(json, file: configURL.path)
        json.removeValue(forKey: "modules_to_save")  // handled here: the head is part of the adapter file
        let lora = try LoRAConfig(json: json, file: configURL.path)
        let file = try SafetensorsFile(url: directory.appendingPathComponent("adapter_model.safetensors"))
        let original = score.weight.copy()
        try attachLoRA(lora, seed: 0, file: configURL.path)
        do {
            let expected = loraParameters()
            let unexpected = Set(file.names).subtracting(expected.map(\.0)).sorted()
            guard unexpected.isEmpty else { throw AlignModelsError.unexpectedTensors(names: unexpected, file: file.path) }
            for (name, param) in expected {
                guard file.contains(name) else { throw AlignModelsError.missingTensor(name: name, file: file.path) }
                param.assign(try file.tensor(name, expectedShape: param.shape))
            }
        } catch {
            removeLoRA()  // leave the model as it was, not half-adapted
            score.weight.assign(original)
            throw error
        }
        return lora
    }

    /// Drops the adapters and restores the head as it was before `attachLoRA` (PEFT's unload).
    public func removeLoRA() {
        base.removeLoRA()
        if let original = scoreBeforeAdapter { score.weight.assign(original) }
        scoreBeforeAdapter = nil
    }

    /// Merges the adapters into the decoder's weights and keeps the trained head (PEFT's merge_and_unload).
    public func mergeLoRA() {
        base.mergeLoRA()
        scoreBeforeAdapter = nil
    }

    /// An adapter for a classifier must be SEQ_CLS-shaped: modules_to_save ⊆ {classifier, score}, and
    /// task_type SEQ_CLS when given.
    static func checkSequenceClassificationAdapter(_ json: [String: Any], file: String) throws {
        if let t = json["task_type"] as? String, t != "SEQ_CLS" {
            throw AlignModelsError.unsupportedConfigValue(file: file, key: "task_type", value: "\"\(t)\"",
                                                          reason: "a sequence-classification adapter has task_type SEQ_CLS")
        }
        guard let saved = json["modules_to_save"], !(saved is NSNull) else { return }
        guard let names = saved as? [String], Set(names).isSubset(of: Self.peftModulesToSave) else {
            throw AlignModelsError.unsupportedConfigValue(file: file, key: "modules_to_save", value: "\(saved)",
                                                          reason: "only the head (classifier, score) can be saved whole")
        }
    }
}
