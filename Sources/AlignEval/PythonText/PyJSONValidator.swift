// PyJSONValidator: "would Python's `json.loads` accept this text?" — the test behind IFEval's
// `detectable_format:json_format`.
//
// Mirrors CPython 3.11 Lib/json/decoder.py with the C scanner (Modules/_json.c), not RFC 8259:
//   - any top-level value; the literals NaN, Infinity and -Infinity are accepted;
//   - numbers use ASCII digits only: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?;
//   - strings reject raw control characters (< U+0020; strict mode) and unknown escapes, and accept lone
//     surrogate escapes (\ud800);
//   - whitespace is only space, \t, \n, \r; anything after the value but whitespace is "Extra data";
//   - a leading U+FEFF is an error ("Unexpected UTF-8 BOM"); duplicate keys are fine.
// Nesting deeper than `maxDepth` is rejected (CPython would raise RecursionError near 1000 levels).

/// Validates text the way Python's `json.loads` parses it, without building values.
public enum PyJSONValidator {
    /// Maximum nesting of arrays/objects accepted.
    public static let maxDepth = 900

    /// True if `json.loads(text)` would succeed.
    public static func accepts(_ text: PyText) -> Bool {
        var p = Parser(s: text)
        p.skipSpace()
        guard p.value(depth: 0) else { return false }
        p.skipSpace()
        return p.i == text.count
    }

    private struct Parser {
        let s: PyText
        var i = 0

        init(s: PyText) { self.s = s }

        mutating func skipSpace() {
            while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" { i += 1 }
        }

        mutating func literal(_ word: String) -> Bool {
            let w = Array(word.unicodeScalars)
            guard i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w else { return false }
            i += w.count
            return true
        }

        mutating func value(depth: Int) -> Bool {
            guard i < s.count, depth < PyJSONValidator.maxDepth else { return false }
            switch s[i] {
            case "{": return object(depth: depth + 1)
            case "[": return array(depth: depth + 1)
            case "\"": return string()
            case "n": return literal("null")
            case "t": return literal("true")
            case "f": return literal("false")
            case "N": return literal("NaN")
            case "I": return literal("Infinity")
            case "-":
                if i + 1 < s.count, s[i + 1] == "I" { i += 1; return literal("Infinity") }
                return number()
            default: return number()
            }
        }

        mutating func object(depth: Int) -> Bool {
            i += 1
            skipSpace()
            if i < s.count, s[i] == "}" { i += 1; return true }
            while true {
                guard i < s.count, s[i] == "\"", string() else { return false }
                skipSpace()
                guard i < s.count, s[i] == ":" else { return false }
                i += 1
                skipSpace()
                guard value(depth: depth) else { return false }
                skipSpace()
                guard i < s.count else { return false }
                if s[i] == "}" { i += 1; return true }
                guard s[i] == "," else { return false }
                i += 1
                skipSpace()
            }
        }

        mutating func array(depth: Int) -> Bool {
            i += 1
            skipSpace()
            if i < s.count, s[i] == "]" { i += 1; return true }
            while true {
                guard value(depth: depth) else { return false }
                skipSpace()
                guard i < s.count else { return false }
                if s[i] == "]" { i += 1; return true }
                guard s[i] == "," else { return false }
                i += 1
                skipSpace()
            }
        }

        mutating func string() -> Bool {
            i += 1
            while i < s.count {
                let c = s[i]
                if c == "\"" { i += 1; return true }
                if c.value < 0x20 { return false }
                if c == "\\" {
                    guard i + 1 < s.count else { return false }
                    let e = s[i + 1]
                    if e == "u" {
                        guard i + 6 <= s.count, s[(i + 2)..<(i + 6)].allSatisfy({ $0.properties.isASCIIHexDigit })
                        else { return false }
                        i += 6
                        continue
                    }
                    guard "\"\\/bfnrt".unicodeScalars.contains(e) else { return false }
                    i += 2
                    continue
                }
                i += 1
            }
            return false
        }

        func isDigit(_ k: Int) -> Bool { k < s.count && s[k].value >= 0x30 && s[k].value <= 0x39 }

        mutating func number() -> Bool {
            if i < s.count, s[i] == "-" { i += 1 }
            guard isDigit(i) else { return false }
            if s[i] == "0" { i += 1 } else { while isDigit(i) { i += 1 } }
            if i < s.count, s[i] == ".", isDigit(i + 1) {
                i += 1
                while isDigit(i) { i += 1 }
            }
            if i < s.count, s[i] == "e" || s[i] == "E" {
                var k = i + 1
                if k < s.count, s[k] == "+" || s[k] == "-" { k += 1 }
                if isDigit(k) {
                    i = k
                    while isDigit(i) { i += 1 }
                }
            }
            return true
        }
    }
}
