// PEFT adapter folders: saving the attached LoRA adapters as adapter_config.json +
// adapter_model.safetensors (both written atomically, in the layout `PeftModel.from_pretrained`
// reads), and loading one saved by PEFT or by AlignKit onto a base model. Loading is strict: a
// missing, unexpected or wrongly shaped tensor is an error naming it.
import AlignTensor
import Foundation

extension DecoderModel {
    /// Writes the attached adapters to `directory` as PEFT does.
    /// - Throws: `invalidConfig` when no adapter is attached; `writeFailed` from the writers.
    public func saveLoRA(to directory: URL) throws {
        guard let config = loraConfig else {
            throw AlignModelsError.invalidConfig(file: directory.path, key: "target_modules", reason: "no LoRA adapter is attached")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let entries = loraParameters().map { SafetensorsWriter.Entry($0.0, $0.1) }
        try SafetensorsWriter.write(entries, to: directory.appendingPathComponent("adapter_model.safetensors"))
        try AtomicFile.write(Array(config.jsonText().utf8), to: directory.appendingPathComponent("adapter_config.json"))
    }

    /// Attaches the adapter in `directory` (PEFT layout) and loads its weights; the base is frozen.
    /// - Throws: config errors from `LoRAConfig(contentsOf:)`, `missingTensor`, `unexpectedTensors`, `shapeMismatch`.
    @discardableResult
    public func loadLoRA(directory: URL) throws -> LoRAConfig {
        let configURL = directory.appendingPathComponent("adapter_config.json")
        let config = try LoRAConfig(contentsOf: configURL)
        let file = try SafetensorsFile(url: directory.appendingPathComponent("adapter_model.safetensors"))
        try attachLoRA(config, seed: 0, file: configURL.path)
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
            throw error
        }
        return config
    }
}
