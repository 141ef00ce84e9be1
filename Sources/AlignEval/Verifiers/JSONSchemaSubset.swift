// JSONSchemaSubset: validation of a JSON value against the commonly used core of JSON Schema (draft 2020-12).
//
// Supported keywords (meaning as in json-schema.org draft 2020-12 Validation, sections 6.1–6.5 and Core 10.3):
// type (incl. "integer" and type arrays), enum, const, properties, required, additionalProperties (false or a
// schema), items (a schema), minItems, maxItems, uniqueItems, minLength, maxLength (code points), pattern (ICU),
// minimum, maximum, exclusiveMinimum, exclusiveMaximum, anyOf, allOf, oneOf, not. Unknown keywords are ignored, as
// the spec says for annotations; `$ref` is not resolved and makes the schema invalid (typed error at load).
// The full JSON Schema front end belongs to AlignGrammar; this subset is for response verification.
import Foundation

/// A validated-at-construction JSON Schema subset.
public struct JSONSchemaSubset: Sendable {
    let schema: JSONValue

    /// - Throws: `AlignEvalError.invalidKwarg`-style error (via `onError`) for `$ref` or a non-object schema.
    init(_ schema: JSONValue, onError: (String) -> AlignEvalError) throws {
        guard case .object = schema else { throw onError("a JSON Schema object") }
        if JSONSchemaSubset.containsRef(schema) { throw onError("a schema without $ref (not supported)") }
        self.schema = schema
    }

    static func containsRef(_ v: JSONValue) -> Bool {
        switch v {
        case let .object(o): return o.keys.contains("$ref") || o.values.contains(where: containsRef)
        case let .array(a): return a.contains(where: containsRef)
        default: return false
        }
    }

    /// True if `value` satisfies the schema.
    public func accepts(_ value: JSONValue) -> Bool { JSONSchemaSubset.valid(value, schema) }

    static func valid(_ v: JSONValue, _ s: JSONValue) -> Bool {
        switch s {
        case let .bool(b): return b
        case let .object(o): return o.allSatisfy { keyword($0.key, $0.value, v, o) }
        default: return true
        }
    }

    private static func typeName(_ v: JSONValue) -> [String] {
        switch v {
        case .null: return ["null"]
        case .bool: return ["boolean"]
        case let .number(d): return d == d.rounded() ? ["number", "integer"] : ["number"]
        case .string: return ["string"]
        case .array: return ["array"]
        case .object: return ["object"]
        }
    }

    private static func number(_ x: JSONValue?) -> Double? { if case let .number(d)? = x { return d }; return nil }

    private static func keyword(_ k: String, _ arg: JSONValue, _ v: JSONValue, _ o: [String: JSONValue]) -> Bool {
        switch (k, arg, v) {
        case let ("type", .string(t), _): return typeName(v).contains(t)
        case let ("type", .array(ts), _): return ts.contains { if case let .string(t) = $0 { return typeName(v).contains(t) }; return false }
        case let ("enum", .array(options), _): return options.contains(v)
        case ("const", _, _): return arg == v
        case let ("properties", .object(props), .object(obj)):
            return props.allSatisfy { name, sub in obj[name].map { valid($0, sub) } ?? true }
        case let ("required", .array(names), .object(obj)):
            return names.allSatisfy { if case let .string(n) = $0 { return obj[n] != nil }; return false }
        case let ("additionalProperties", _, .object(obj)):
            var known: Set<String> = []
            if case let .object(props)? = o["properties"] { known = Set(props.keys) }
            return obj.allSatisfy { known.contains($0.key) || valid($0.value, arg) }
        case let ("items", _, .array(items)): return items.allSatisfy { valid($0, arg) }
        case let ("minItems", .number(n), .array(items)): return Double(items.count) >= n
        case let ("maxItems", .number(n), .array(items)): return Double(items.count) <= n
        case let ("uniqueItems", .bool(true), .array(items)):
            return !items.indices.contains { i in items[(i + 1)...].contains(items[i]) }
        case let ("minLength", .number(n), .string(s)): return Double(s.unicodeScalars.count) >= n
        case let ("maxLength", .number(n), .string(s)): return Double(s.unicodeScalars.count) <= n
        case let ("pattern", .string(p), .string(s)):
            guard let re = try? NSRegularExpression(pattern: p) else { return false }  // a bad pattern matches nothing
            return re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
        case let ("minimum", .number(n), .number(x)): return x >= n
        case let ("maximum", .number(n), .number(x)): return x <= n
        case let ("exclusiveMinimum", .number(n), .number(x)): return x > n
        case let ("exclusiveMaximum", .number(n), .number(x)): return x < n
        case let ("anyOf", .array(subs), _): return subs.contains { valid(v, $0) }
        case let ("allOf", .array(subs), _): return subs.allSatisfy { valid(v, $0) }
        case let ("oneOf", .array(subs), _): return subs.filter { valid(v, $0) }.count == 1
        case ("not", _, _): return !valid(v, arg)
        default: return true  // keywords that do not apply to this instance type, or annotations
        }
    }
}
