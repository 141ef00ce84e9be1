// JSONValue: a decoded JSON value for constraint specs (arguments of verifiers, JSON Schemas).
// Objects keep their keys in a dictionary; numbers are Double (specs hold counts and bounds, not money).
import Foundation

/// Any JSON value.
public indirect enum JSONValue: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    /// Parses RFC 8259 JSON text (any top-level value; no NaN/Infinity); nil if it is not JSON.
    public static func parse(_ text: String) -> JSONValue? {
        var p = JSONTextParser(s: Array(text.unicodeScalars))
        p.skipSpace()
        guard let v = p.value(depth: 0) else { return nil }
        p.skipSpace()
        return p.i == p.s.count ? v : nil
    }
}

/// A small recursive-descent JSON parser over code points (depth-limited).
private struct JSONTextParser {
    let s: [Unicode.Scalar]
    var i = 0

    mutating func skipSpace() {
        while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" { i += 1 }
    }

    mutating func literal(_ w: String, _ v: JSONValue) -> JSONValue? {
        let a = Array(w.unicodeScalars)
        guard i + a.count <= s.count, Array(s[i..<(i + a.count)]) == a else { return nil }
        i += a.count
        return v
    }

    mutating func value(depth: Int) -> JSONValue? {
        guard i < s.count, depth < 512 else { return nil }
        switch s[i] {
        case "n": return literal("null", .null)
        case "t": return literal("true", .bool(true))
        case "f": return literal("false", .bool(false))
        case "\"": return string().map(JSONValue.string)
        case "[":
            i += 1; skipSpace()
            var out: [JSONValue] = []
            if i < s.count, s[i] == "]" { i += 1; return .array(out) }
            while true {
                guard let v = value(depth: depth + 1) else { return nil }
                out.append(v); skipSpace()
                guard i < s.count else { return nil }
                if s[i] == "]" { i += 1; return .array(out) }
                guard s[i] == "," else { return nil }
                i += 1; skipSpace()
            }
        case "{":
            i += 1; skipSpace()
            var out: [String: JSONValue] = [:]
            if i < s.count, s[i] == "}" { i += 1; return .object(out) }
            while true {
                guard i < s.count, s[i] == "\"", let k = string() else { return nil }
                skipSpace()
                guard i < s.count, s[i] == ":" else { return nil }
                i += 1; skipSpace()
                guard let v = value(depth: depth + 1) else { return nil }
                out[k] = v; skipSpace()
                guard i < s.count else { return nil }
                if s[i] == "}" { i += 1; return .object(out) }
                guard s[i] == "," else { return nil }
                i += 1; skipSpace()
            }
        default: return number()
        }
    }

    mutating func string() -> String? {
        i += 1
        var out = String.UnicodeScalarView()
        while i < s.count {
            let c = s[i]
            if c == "\"" { i += 1; return String(out) }
            if c.value < 0x20 { return nil }
            guard c == "\\" else { out.append(c); i += 1; continue }
            guard i + 1 < s.count else { return nil }
            let e = s[i + 1]
            i += 2
            switch e {
            case "\"", "\\", "/": out.append(e)
            case "b": out.append("\u{8}")
            case "f": out.append("\u{C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "u":
                guard let hi = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(hi), i + 1 < s.count, s[i] == "\\", s[i + 1] == "u" {
                    i += 2
                    guard let lo = hex4(), (0xDC00..<0xE000).contains(lo) else { return nil }
                    out.append(Unicode.Scalar(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)) ?? "\u{FFFD}")
                } else {
                    out.append(Unicode.Scalar(hi) ?? "\u{FFFD}")  // a lone surrogate becomes U+FFFD
                }
            default: return nil
            }
        }
        return nil
    }

    mutating func hex4() -> UInt32? {
        guard i + 4 <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<(i + 4)])), radix: 16) else {
            return nil
        }
        i += 4
        return v
    }

    mutating func number() -> JSONValue? {
        let start = i
        func digits() -> Int { var n = 0; while i < s.count, s[i].value >= 0x30, s[i].value <= 0x39 { i += 1; n += 1 }; return n }
        if i < s.count, s[i] == "-" { i += 1 }
        guard i < s.count else { return nil }
        if s[i] == "0" { i += 1 } else if digits() == 0 { return nil }
        if i < s.count, s[i] == "." { i += 1; guard digits() > 0 else { return nil } }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            i += 1
            if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
            guard digits() > 0 else { return nil }
        }
        return Double(String(String.UnicodeScalarView(s[start..<i]))).map(JSONValue.number)
    }
}
