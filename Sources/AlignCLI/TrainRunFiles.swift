// TrainRunFiles: what every `align train` run reads from and writes to disk besides metrics — the pad id
// TRL would use, and the final model folder (weights plus the source folder's config and tokenizer files,
// each written atomically), so transformers and TRL load output_dir unchanged.
import AlignData
import AlignModels
import AlignTokenizers
import Foundation

enum TrainRunFiles {
    /// TRL: `pad_token or tokenizer.pad_token or tokenizer.eos_token`.
    static func padID(_ tok: PreferenceTokenizer, modelDirectory: URL) throws -> Int32 {
        let special = try ChatTemplateConfig(directory: modelDirectory).specialTokens
        for name in [special["pad_token"], tok.eosToken].compactMap({ $0 }) {
            if let id = tok.tokenizer.id(for: name) { return Int32(id) }
        }
        throw AlignDataError.invalidSetting(name: "pad_token", value: "absent", expected: "a pad or EOS token in the vocabulary")
    }

    /// model.safetensors plus the model folder's config and tokenizer files, each written atomically.
    static func saveFinalModel(_ model: DecoderModel, from modelDirectory: URL, to outputDirectory: URL,
                               chatTemplateSource: String?) throws {
        try model.saveWeights(to: outputDirectory)
        try copyFiles(["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                       "special_tokens_map.json", "chat_template.jinja"], from: modelDirectory, to: outputDirectory,
                      chatTemplateSource: chatTemplateSource)
    }

    /// Copies the named files that exist in `modelDirectory` (and a --chat-template's source), each written atomically.
    static func copyFiles(_ files: [String], from modelDirectory: URL, to outputDirectory: URL, chatTemplateSource: String?) throws {
        for name in files {
            let src = modelDirectory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: src.path) else { continue }
            let dst = outputDirectory.appendingPathComponent(name)
            do { try Data(contentsOf: src).write(to: dst, options: .atomic) } catch {
                throw AlignCLIError.writeFailed(file: dst.path, reason: error.localizedDescription)
            }
        }
        if let template = chatTemplateSource {
            let dst = outputDirectory.appendingPathComponent("chat_template.jinja")
            do { try Data(template.utf8).write(to: dst, options: .atomic) } catch {
                throw AlignCLIError.writeFailed(file: dst.path, reason: error.localizedDescription)
            }
        }
    }
}
