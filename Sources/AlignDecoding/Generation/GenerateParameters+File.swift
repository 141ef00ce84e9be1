// GenerateParameters+File: reading a model folder's generation_config.json (transformers'
// GenerationConfig.save_pretrained format). Unknown keys (bos_token_id, transformers_version, …)
// are ignored; what the loop uses — eos_token_id (int or list), pad_token_id, sampling defaults —
// is taken as written, and the result is validated.

import Foundation

extension GenerateParameters {
    /// Loads and validates `generation_config.json`.
    ///
    /// - Throws: `invalidGenerationConfig` naming the file if it cannot be read or decoded, or
    ///   `invalidParameter` if a value is out of range.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AlignDecodingError.invalidGenerationConfig(file: url.path, reason: "unreadable: \(error.localizedDescription)")
        }
        do {
            self = try JSONDecoder().decode(GenerateParameters.self, from: data)
        } catch let error as DecodingError {
            throw AlignDecodingError.invalidGenerationConfig(file: url.path, reason: Self.describe(error))
        }
        try validate()
    }

    /// A one-line description of a JSON decoding error with its key path.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .typeMismatch(type, context): return "key '\(path(context.codingPath))': expected \(type)"
        case let .valueNotFound(type, context): return "key '\(path(context.codingPath))': missing \(type)"
        case let .keyNotFound(key, _): return "missing key '\(key.stringValue)'"
        case let .dataCorrupted(context):
            return "key '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
