// ChatJSON: the JSON-like values chat templates read (messages, tools, extra variables), with object keys
// kept in their original order — transformers passes Python dicts, whose order `tojson` and `items()`
// expose — and integers kept apart from doubles, as Python's json module keeps them.
// `ChatJSON.parse` is a small RFC 8259 reader written for this (Foundation's JSONSerialization loses key order).

/// A JSON value with ordered object keys, the input type of `ChatTemplate.render`.
public enum ChatJSON: Equatable, Sendable {
    /// JSON null (Python None). Message keys whose value is null are dropped before rendering, as transformers does.
    case null
    /// true / false.
    case bool(Bool)
    /// A number written without fraction or exponent (Python int).
    case int(Int)
    /// A number with a fraction or exponent (Python float).
    case double(Double)
    /// A string.
    case string(String)
    /// An array (Python list).
    case array([ChatJSON])
    /// Key/value pairs in document order (a later duplicate key replaces the earlier value in place).
    case object([(String, ChatJSON)])

    public static func == (lhs: ChatJSON, rhs: ChatJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value under `key` when this is an object.
    public subscript(key: String) -> ChatJSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first(where: { $0.0 == key })?.1
    }

    /// The string payload, when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

extension ChatJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: ChatJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, ChatJSON)...) { self = .object(elements) }
    public init(nilLiteral: ()) { self = .null }
}

extension ChatJSON {
    /// Parses JSON text, keeping object key order.
    /// - Throws: `ChatTemplateError.invalidConfig` naming the line and column of the first error.
    public static func parse(_ text: String) throws -> ChatJSON {
        var reader = JSONReader(Array(text.unicodeScalars))
        reader.skipSpace()
        let value = try reader.readValue(depth: 0)
        reader.skipSpace()
        guard reader.atEnd else { throw reader.error("trailing characters after the JSON value") }
        return value
    }
}

/// Recursive-descent JSON reader over unicode scalars.
private struct JSONReader {
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    var atEnd: Bool { i >= s.count }

    func error(_ message: String) -> ChatTemplateError {
        var line = 1, column = 1
        for scalar in s[..<min(i, s.count)] {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return .invalidConfig("JSON at \(line):\(column): \(message)")
    }

    mutating func skipSpace() {
        while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "\r" { i += 1 }
    }

    mutating func expect(_ word: String, _ value: ChatJSON) throws -> ChatJSON {
        for scalar in word.unicodeScalars {
            guard i < s.count, s[i] == scalar else { throw error("expected '\(word)'") }
            i += 1
        }
        return value
    }

    mutating func readValue(depth: Int) throws -> ChatJSON {
        guard depth < 512 else { throw error("nesting deeper than 512") }
        guard i < s.count else { throw error("unexpected end of input") }
        switch s[i] {
        case "{": return try readObject(depth: depth)
        case "[": return try readArray(depth: depth)
        case "\"": return .string(try readString())
        case "t": return try expect("true", .bool(true))
        case "f": return try expect("false", .bool(false))
        case "n": return try expect("null", .null)
        default: return try readNumber()
        }
    }

    mutating func readObject(depth: Int) throws -> ChatJSON {
        i += 1
        var pairs: [(String, ChatJSON)] = []
        skipSpace()
        if i < s.count, s[i] == "}" { i += 1; return .object(pairs) }
        while true {
            skipSpace()
            guard i < s.count, s[i] == "\"" else { throw error("expected a string key") }
            let key = try readString()
            skipSpace()
            guard i < s.count, s[i] == ":" else { throw error("expected ':' after key \"\(key)\"") }
            i += 1
            skipSpace()
            let value = try readValue(depth: depth + 1)
            if let at = pairs.firstIndex(where: { $0.0 == key }) { pairs[at].1 = value } else { pairs.append((key, value)) }
            skipSpace()
            guard i < s.count else { throw error("unterminated object") }
            if s[i] == "," { i += 1; continue }
            if s[i] == "}" { i += 1; return .object(pairs) }
            throw error("expected ',' or '}' in object")
        }
    }

    mutating func readArray(depth: Int) throws -> ChatJSON {
        i += 1
        var items: [ChatJSON] = []
        skipSpace()
        if i < s.count, s[i] == "]" { i += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try readValue(depth: depth + 1))
            skipSpace()
            guard i < s.count else { throw error("unterminated array") }
            if s[i] == "," { i += 1; continue }
            if s[i] == "]" { i += 1; return .array(items) }
            throw error("expected ',' or ']' in array")
        }
    }

    mutating func readHex4() throws -> UInt32 {
        guard i + 4 <= s.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = Int(String(s[i]), radix: 16) else { throw error("bad hex digit in \\u escape") }
            v = v * 16 + UInt32(d)
            i += 1
        }
        return v
    }

    mutating func readString() throws -> String {
        i += 1
        var out = String.UnicodeScalarView()
        while true {
            guard i < s.count else { throw error("unterminated string") }
            let c = s[i]
            i += 1
            if c == "\"" { return String(out) }
            if c != "\\" { out.append(c); continue }
            guard i < s.count else { throw error("unterminated escape") }
            let e = s[i]
            i += 1
            switch e {
            case "\"": out.append("\"")
            case "\\": out.append("\\")
            case "/": out.append("/")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "u":
                var code = try readHex4()
                if (0xD800..<0xDC00).contains(code), i + 1 < s.count, s[i] == "\\", s[i + 1] == "u" {
                    i += 2
                    let low = try readHex4()
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: throw error("unknown escape \\\(e)")
            }
        }
    }

    mutating func readNumber() throws -> ChatJSON {
        let start = i
        var isDouble = false
        while i < s.count, "+-0123456789.eE".unicodeScalars.contains(s[i]) {
            if s[i] == "." || s[i] == "e" || s[i] == "E" { isDouble = true }
            i += 1
        }
        let text = String(String.UnicodeScalarView(s[start..<i]))
        guard !text.isEmpty else { throw error("unexpected character '\(s[start])'") }
        if !isDouble, let v = Int(text) { return .int(v) }
        guard let d = Double(text) else { throw error("bad number '\(text)'") }
        return .double(d)
    }
}
