// JSONParser: a strict RFC 8259 parser producing JSONValue, with byte offsets in errors and a nesting
// limit (deep nesting is a known denial-of-service vector; llama.cpp PR #26602).

/// Parses JSON text into an order-preserving `JSONValue`.
public struct JSONParser {
    private let b: [UInt8]
    private var i = 0
    /// Maximum nesting of arrays and objects.
    public static let maxDepth = 512

    /// Parses a complete JSON document.
    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Parses a complete JSON document from UTF-8 bytes.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var p = JSONParser(b: bytes)
        p.skipWS()
        let v = try p.value(depth: 0)
        p.skipWS()
        if p.i != p.b.count { throw p.err("trailing characters") }
        return v
    }

    private init(b: [UInt8]) { self.b = b }

    private func err(_ m: String) -> AlignGrammarError { .jsonSyntax(offset: i, message: m) }

    private mutating func skipWS() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    private mutating func expect(_ word: String) throws {
        for c in word.utf8 {
            guard i < b.count, b[i] == c else { throw err("expected '\(word)'") }
            i += 1
        }
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard i < b.count else { throw err("unexpected end of input") }
        if depth > JSONParser.maxDepth { throw err("nesting deeper than \(JSONParser.maxDepth)") }
        switch b[i] {
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["): return try array(depth)
        case UInt8(ascii: "{"): return try object(depth)
        default: return .number(try number())
        }
    }

    private mutating func array(_ depth: Int) throws -> JSONValue {
        i += 1; skipWS()
        var items: [JSONValue] = []
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipWS(); items.append(try value(depth: depth + 1)); skipWS()
            guard i < b.count else { throw err("unterminated array") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw err("expected ',' or ']'")
        }
    }

    private mutating func object(_ depth: Int) throws -> JSONValue {
        i += 1; skipWS()
        var ms: [JSONMember] = []
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(ms) }
        while true {
            skipWS()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw err("expected a string key") }
            let k = try string()
            skipWS(); try expect(":"); skipWS()
            ms.append(JSONMember(k, try value(depth: depth + 1))); skipWS()
            guard i < b.count else { throw err("unterminated object") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return .object(ms) }
            throw err("expected ',' or '}'")
        }
    }

    private mutating func number() throws -> String {
        let start = i
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        func digits() -> Int { let s = i; while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }; return i - s }
        if i < b.count, b[i] == 0x30 { i += 1 } else if digits() == 0 { throw err("invalid number") }
        if i < b.count, b[i] == UInt8(ascii: ".") { i += 1; if digits() == 0 { throw err("digits expected after '.'") } }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            if digits() == 0 { throw err("digits expected in exponent") }
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw err("expected 4 hex digits")
        }
        i += 4
        return v
    }

    private mutating func string() throws -> String {
        i += 1
        var out = String.UnicodeScalarView()
        var run = i
        func flush() { out.append(contentsOf: String(decoding: b[run..<i], as: UTF8.self).unicodeScalars) }
        while true {
            guard i < b.count else { throw err("unterminated string") }
            let c = b[i]
            if c == UInt8(ascii: "\"") { flush(); i += 1; return String(out) }
            if c < 0x20 { throw err("control character in string") }
            if c != UInt8(ascii: "\\") { i += 1; continue }
            flush(); i += 1
            guard i < b.count else { throw err("unterminated escape") }
            let e = b[i]; i += 1
            switch e {
            case UInt8(ascii: "\""): out.append("\"")
            case UInt8(ascii: "\\"): out.append("\\")
            case UInt8(ascii: "/"): out.append("/")
            case UInt8(ascii: "b"): out.append("\u{08}")
            case UInt8(ascii: "f"): out.append("\u{0C}")
            case UInt8(ascii: "n"): out.append("\n")
            case UInt8(ascii: "r"): out.append("\r")
            case UInt8(ascii: "t"): out.append("\t")
            case UInt8(ascii: "u"): out.append(try unicodeEscape())
            default: throw err("invalid escape")
            }
            run = i
        }
    }

    private mutating func unicodeEscape() throws -> Unicode.Scalar {
        var v = try hex4()
        if (0xD800...0xDBFF).contains(v), i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
            i += 2
            let lo = try hex4()
            if (0xDC00...0xDFFF).contains(lo) { v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00) }
            else { throw err("invalid surrogate pair") }
        }
        // Lone surrogates cannot be Swift scalars; U+FFFD stands in (such strings cannot be generated anyway).
        return Unicode.Scalar(v) ?? "\u{FFFD}"
    }
}
