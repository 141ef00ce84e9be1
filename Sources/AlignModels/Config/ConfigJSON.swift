// ConfigJSON: reads a JSON config file with Foundation's JSONDecoder and turns its DecodingErrors
// into AlignModelsError cases that name the file and the dotted key path ("rope_scaling.factor"),
// so a user sees which key of which file is wrong instead of a Swift type dump.
import Foundation

enum ConfigJSON {
    /// Decodes `T` from the file at `url`.
    static func decode<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AlignModelsError.unreadableFile(file: url.path, reason: error.localizedDescription)
        }
        return try decode(type, from: data, path: url.path)
    }

    /// Decodes `T` from `data`; `path` names the source in errors.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw AlignModelsError.missingConfigKey(file: path, key: keyPath(ctx.codingPath + [key]))
        } catch let DecodingError.typeMismatch(expected, ctx) {
            throw AlignModelsError.invalidConfig(file: path, key: keyPath(ctx.codingPath),
                                                 reason: "expected \(describe(expected)): \(ctx.debugDescription)")
        } catch let DecodingError.valueNotFound(expected, ctx) {
            throw AlignModelsError.invalidConfig(file: path, key: keyPath(ctx.codingPath),
                                                 reason: "null where \(describe(expected)) is required")
        } catch let DecodingError.dataCorrupted(ctx) {
            let underlying = ctx.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            throw AlignModelsError.invalidConfig(file: path, key: keyPath(ctx.codingPath),
                                                 reason: ctx.debugDescription + underlying)
        }
    }

    /// "rope_scaling.factor", "eos_token_id.1", or "(root)" for the top level.
    static func keyPath(_ path: [CodingKey]) -> String {
        let parts = path.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return parts.isEmpty ? "(root)" : parts.joined(separator: ".")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default: return "\(type)"
        }
    }
}
