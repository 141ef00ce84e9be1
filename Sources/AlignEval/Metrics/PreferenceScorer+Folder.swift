// Builds a PreferenceScorer from a Hugging Face model folder: tokenizer.json, the EOS token's text from
// tokenizer_config.json (`eos_token`, a string or an AddedToken object {"content": …}) or else from config.json's
// `eos_token_id`, and the pad id from config.json's `pad_token_id`, falling back to the EOS id as TRL does
// (`pad_token = tokenizer.pad_token or tokenizer.eos_token`). Padding never reaches a log-prob: it is masked.
import AlignModels
import AlignTokenizers
import Foundation

extension PreferenceScorer {
    /// A scorer for the model in `directory`.
    /// - Throws: `AlignEvalError.unreadableFile` / `.badResource` when tokenizer.json or the configs are unusable.
    public init(modelDirectory directory: URL, batchSize: Int = 4) throws {
        let tokenizerURL = directory.appendingPathComponent("tokenizer.json")
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer(contentsOf: tokenizerURL) } catch {
            throw AlignEvalError.unreadableFile(path: tokenizerURL.path, reason: "\(error)")
        }
        let configURL = directory.appendingPathComponent("config.json")
        let config: ModelConfig
        do { config = try ModelConfig.load(contentsOf: configURL) } catch {
            throw AlignEvalError.unreadableFile(path: configURL.path, reason: "\(error)")
        }
        let eosID = config.eosTokenId?.first
        let eos = try PreferenceScorer.eosToken(directory: directory) ?? eosID.flatMap { tokenizer.token(for: $0) }
        let pad = config.padTokenId?.first ?? eosID ?? 0
        self.init(tokenizer: tokenizer, eosToken: eos, padID: Int32(pad), batchSize: batchSize)
    }

    /// tokenizer_config.json's `eos_token` text, nil when the file or key is absent.
    static func eosToken(directory: URL) throws -> String? {
        let url = directory.appendingPathComponent("tokenizer_config.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) } catch {
            throw AlignEvalError.unreadableFile(path: url.path, reason: "\(error.localizedDescription)")
        }
        switch (object as? [String: Any])?["eos_token"] {
        case nil, is NSNull: return nil
        case let s as String: return s
        case let d as [String: Any]:
            guard let s = d["content"] as? String else {
                throw AlignEvalError.badResource(name: url.path, reason: "'eos_token.content' must be a string")
            }
            return s
        default: throw AlignEvalError.badResource(name: url.path, reason: "'eos_token' must be a string or {\"content\": …}")
        }
    }
}
