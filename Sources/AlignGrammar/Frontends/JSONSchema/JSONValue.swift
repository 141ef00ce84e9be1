// JSONValue: an order-preserving JSON document (RFC 8259). Schemas need their declared property order
// and number lexemes (Foundation's JSONSerialization keeps neither), and the canonical serializer here
// writes exactly the form the JSON Schema grammar generates: compact, strings escaped as
// JSON.stringify does, numbers as their original lexeme.

/// One key/value pair of a JSON object, in document order.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) { self.key = key; self.value = value }
}

/// A JSON value that keeps object member order and number lexemes.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, as written (e.g. `1.0`, `-2e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The member `key` of an object (the last one if repeated), else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let ms) = self else { return nil }
        return ms.last { $0.key == key }?.value
    }

    /// Object members, or nil for non-objects.
    public var members: [JSONMember]? {
        if case .object(let ms) = self { return ms }
        return nil
    }

    /// Compact canonical text.
    public var serialized: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, v) in items.enumerated() { if i > 0 { out += "," }; v.write(to: &out) }
            out += "]"
        case .object(let ms):
            out += "{"
            for (i, m) in ms.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(m.key, to: &out); out += ":"; m.value.write(to: &out)
            }
            out += "}"
        }
    }

    /// Writes `s` as a JSON string the way JSON.stringify does.
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x08: out += "\\b"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0C: out += "\\f"
            case 0x0D: out += "\\r"
            case 0..<0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }

    /// JSON Schema equality (numbers compare by value: 1 == 1.0; object member order is irrelevant;
    /// strings compare code point by code point — Swift's `==` would equate canonically equivalent
    /// strings such as NFC "ä" and NFD "a\u{308}", which JSON Schema keeps distinct).
    public func schemaEquals(_ o: JSONValue) -> Bool {
        switch (self, o) {
        case let (.number(a), .number(b)): return JSONNumber(a) == JSONNumber(b)
        case let (.string(a), .string(b)): return a.sameScalars(b)
        case let (.array(a), .array(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.schemaEquals($1) }
        case let (.object(a), .object(b)):
            return a.count == b.count && a.allSatisfy { m in b.contains { $0.key.sameScalars(m.key) && $0.value.schemaEquals(m.value) } }
        default: return self == o
        }
    }
}

extension String {
    /// Code-point equality (no Unicode canonical equivalence).
    func sameScalars(_ o: String) -> Bool { utf8.elementsEqual(o.utf8) }
}
