// JSONNode: a parsed JSON value together with its key path, so every accessor can throw an error that
// names exactly which key of tokenizer.json was missing or malformed.
import Foundation

/// A JSON value (as produced by `JSONSerialization`) and the key path it was found at.
struct JSONNode {
    let value: Any
    let path: String

    init(_ value: Any, path: String) {
        self.value = value
        self.path = path
    }

    /// Parses JSON data; `source` names the file in errors.
    static func parse(_ data: Data, source: String) throws -> JSONNode {
        do {
            let v = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return JSONNode(v, path: "")
        } catch {
            throw AlignTokenizersError.unreadableFile(path: source, reason: "invalid JSON (\(error.localizedDescription))")
        }
    }

    var isNull: Bool { value is NSNull }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member `key`, or nil if absent or null.
    func optional(_ key: String) throws -> JSONNode? {
        guard let dict = value as? [String: Any] else {
            throw AlignTokenizersError.invalidValue(path: path.isEmpty ? "<root>" : path, expected: "an object")
        }
        guard let v = dict[key], !(v is NSNull) else { return nil }
        return JSONNode(v, path: childPath(key))
    }

    /// The member `key`; throws `missingKey` if absent or null.
    func required(_ key: String) throws -> JSONNode {
        guard let n = try optional(key) else { throw AlignTokenizersError.missingKey(path: childPath(key)) }
        return n
    }

    func asString() throws -> String {
        guard let s = value as? String else { throw AlignTokenizersError.invalidValue(path: path, expected: "a string") }
        return s
    }

    func asInt() throws -> Int {
        if let n = value as? NSNumber, !(value is Bool), n.doubleValue == n.doubleValue.rounded() { return n.intValue }
        if let n = value as? Int { return n }
        throw AlignTokenizersError.invalidValue(path: path, expected: "an integer")
    }

    func asBool() throws -> Bool {
        if let b = value as? Bool { return b }
        throw AlignTokenizersError.invalidValue(path: path, expected: "true or false")
    }

    func asArray() throws -> [JSONNode] {
        guard let a = value as? [Any] else { throw AlignTokenizersError.invalidValue(path: path, expected: "an array") }
        return a.enumerated().map { JSONNode($0.element, path: "\(path)[\($0.offset)]") }
    }

    func asObject() throws -> [String: Any] {
        guard let d = value as? [String: Any] else { throw AlignTokenizersError.invalidValue(path: path, expected: "an object") }
        return d
    }

    func string(_ key: String) throws -> String { try required(key).asString() }
    func string(_ key: String, default d: String) throws -> String { try optional(key)?.asString() ?? d }
    func optionalString(_ key: String) throws -> String? { try optional(key)?.asString() }
    func bool(_ key: String, default d: Bool) throws -> Bool { try optional(key)?.asBool() ?? d }
    func int(_ key: String, default d: Int) throws -> Int { try optional(key)?.asInt() ?? d }

    /// The `"type"` string of a pipeline stage.
    func typeName() throws -> String { try string("type") }
}
