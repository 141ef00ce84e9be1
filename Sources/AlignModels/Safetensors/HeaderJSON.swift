// HeaderJSON: a small, strict JSON reader for safetensors headers. It keeps object keys in file
// order (so duplicate tensor names are seen instead of silently merged, as a dictionary-based
// decoder would), reads integers exactly (offsets may exceed 2^53), bounds nesting depth, and
// never traps on malformed input: every failure is a `HeaderJSON.Failure` with a byte position.
// Grammar: RFC 8259. Leaves out: nothing a header needs; numbers with fractions/exponents are
// kept as Double only because `__metadata__` values never hold them in practice.

/// A parsed JSON value with object members in document order.
enum HeaderJSON: Equatable {
    case object([(key: String, value: HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case null

    static func == (a: HeaderJSON, b: HeaderJSON) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// A parse failure at byte `offset` of the JSON text.
    struct Failure: Error {
        let offset: Int
        let message: String
    }

    /// Parses `bytes` as one JSON value followed only by whitespace (safetensors pads with spaces).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> HeaderJSON {
        var p = Parser(bytes: bytes)
        let v = try p.value(depth: 0)
        p.skipWhitespace()
        guard p.i == bytes.count else { throw Failure(offset: p.i, message: "trailing characters after the JSON value") }
        return v
    }
}

/// Recursive-descent parser over raw bytes.
private struct Parser {
    let bytes: UnsafeRawBufferPointer
    var i = 0
    /// Headers nest 3 levels; 64 keeps hostile input like "[[[[…" from exhausting the stack.
    static let maxDepth = 64

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func fail(_ message: String) -> HeaderJSON.Failure { HeaderJSON.Failure(offset: i, message: message) }

    mutating func skipWhitespace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    mutating func expect(_ c: UInt8) throws {
        guard i < bytes.count, bytes[i] == c else { throw fail("expected '\(Character(UnicodeScalar(c)))'") }
        i += 1
    }

    mutating func value(depth: Int) throws -> HeaderJSON {
        guard depth < Parser.maxDepth else { throw fail("nesting deeper than \(Parser.maxDepth)") }
        skipWhitespace()
        guard i < bytes.count else { throw fail("unexpected end of JSON") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    mutating func literal(_ word: String) throws {
        for c in word.utf8 { try expect(c) }
    }

    mutating func object(depth: Int) throws -> HeaderJSON {
        try expect(UInt8(ascii: "{"))
        var members: [(key: String, value: HeaderJSON)] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipWhitespace()
            let key = try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            members.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            guard i < bytes.count else { throw fail("unterminated object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            try expect(UInt8(ascii: "}"))
            return .object(members)
        }
    }

    mutating func array(depth: Int) throws -> HeaderJSON {
        try expect(UInt8(ascii: "["))
        var items: [HeaderJSON] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            guard i < bytes.count else { throw fail("unterminated array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            try expect(UInt8(ascii: "]"))
            return .array(items)
        }
    }

    /// A string literal; escapes decoded, invalid UTF-8 rejected.
    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("unterminated string") }
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw fail("control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard i < bytes.count else { throw fail("unterminated escape") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"): out.append(contentsOf: Array(String(try unicodeEscape()).utf8))
            default: throw fail("invalid escape '\\\(Character(UnicodeScalar(e)))'")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
        return s
    }

    /// The scalar of a \uXXXX escape (with its surrogate pair partner, if any).
    mutating func unicodeEscape() throws -> Character {
        let hi = try hex4()
        if (0xD800 ..< 0xDC00).contains(hi) {
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                throw fail("unpaired surrogate")
            }
            i += 2
            let lo = try hex4()
            guard (0xDC00 ..< 0xE000).contains(lo) else { throw fail("unpaired surrogate") }
            let scalar = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            guard let u = UnicodeScalar(scalar) else { throw fail("invalid code point") }
            return Character(u)
        }
        guard let u = UnicodeScalar(hi) else { throw fail("unpaired surrogate") }
        return Character(u)
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0 ..< 4 {
            guard let d = hexDigit(bytes[i]) else { throw fail("invalid hex digit") }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30 ... 0x39: return UInt32(c - 0x30)
        case 0x41 ... 0x46: return UInt32(c - 0x41 + 10)
        case 0x61 ... 0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// An integer (exact, overflow-checked) or, with a fraction/exponent, a Double.
    mutating func number() throws -> HeaderJSON {
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let digitsStart = i
        while i < bytes.count, (0x30 ... 0x39).contains(bytes[i]) { i += 1 }
        guard i > digitsStart else { throw fail("unexpected character") }
        var isInteger = true
        while i < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"),
                                UInt8(ascii: "-")].contains(bytes[i]) || (0x30 ... 0x39).contains(bytes[i]) {
            isInteger = false
            i += 1
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start ..< i]), as: UTF8.self)
        if isInteger {
            guard let v = Int64(text) else { throw HeaderJSON.Failure(offset: start, message: "integer \(text) out of range") }
            return .integer(v)
        }
        guard let d = Double(text) else { throw HeaderJSON.Failure(offset: start, message: "invalid number \(text)") }
        return .number(d)
    }
}
