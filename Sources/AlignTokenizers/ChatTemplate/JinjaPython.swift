// JinjaPython: CPython's string and sequence semantics that chat templates observe through jinja2 —
// str.strip/split/replace/title/capitalize on code points with Python's whitespace set, `seq[a:b:c]`
// slicing, float and str `repr()`, json.dumps string quoting (ensure_ascii on or off), markupsafe escaping.
// Written from the CPython documentation (str methods, `repr`, slicing) and the json module's escaping rules.

/// Python text helpers used by the interpreter.
enum JinjaPython {
    /// Python's whitespace for str.strip()/split() with no argument.
    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    static func strip(_ s: String, chars: String?, leading: Bool, trailing: Bool) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let strip: (Unicode.Scalar) -> Bool = { c in set.map { $0.contains(c) } ?? isWhitespace(c) }
        var scalars = Array(s.unicodeScalars)[...]
        if leading { while let f = scalars.first, strip(f) { scalars.removeFirst() } }
        if trailing { while let l = scalars.last, strip(l) { scalars.removeLast() } }
        return String(String.UnicodeScalarView(scalars))
    }

    static func split(_ s: String, separator: String?, maxSplit: Int) -> [String] {
        let scalars = Array(s.unicodeScalars)
        var parts: [String] = []
        guard let separator, !separator.isEmpty else {
            var current: [Unicode.Scalar] = []
            var k = 0
            while k < scalars.count {
                if isWhitespace(scalars[k]) {
                    if !current.isEmpty {
                        parts.append(String(String.UnicodeScalarView(current)))
                        current = []
                        if maxSplit >= 0 && parts.count == maxSplit {
                            while k < scalars.count, isWhitespace(scalars[k]) { k += 1 }
                            if k < scalars.count { parts.append(String(String.UnicodeScalarView(scalars[k...]))) }
                            return parts
                        }
                    }
                } else {
                    current.append(scalars[k])
                }
                k += 1
            }
            if !current.isEmpty { parts.append(String(String.UnicodeScalarView(current))) }
            return parts
        }
        let sep = Array(separator.unicodeScalars)
        var start = 0, k = 0
        while k + sep.count <= scalars.count {
            if (maxSplit < 0 || parts.count < maxSplit), Array(scalars[k..<(k + sep.count)]) == sep {
                parts.append(String(String.UnicodeScalarView(scalars[start..<k])))
                k += sep.count
                start = k
            } else {
                k += 1
            }
        }
        parts.append(String(String.UnicodeScalarView(scalars[start...])))
        return parts
    }

    /// str.splitlines(): splits at Python's line boundaries (\n, \r, \r\n, \v, \f, \x1c–\x1e, \x85, U+2028/9),
    /// without a trailing empty line.
    static func splitLines(_ s: String) -> [String] {
        var lines: [String] = [], current = String.UnicodeScalarView()
        var scalars = s.unicodeScalars[...]
        while let c = scalars.popFirst() {
            switch c.value {
            case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                lines.append(String(current)); current = String.UnicodeScalarView()
            case 0x0D:
                if scalars.first == "\n" { scalars.removeFirst() }
                lines.append(String(current)); current = String.UnicodeScalarView()
            default:
                current.append(c)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    static func replace(_ s: String, _ old: String, _ new: String, count: Int) -> String {
        if old.isEmpty { return s }
        let maxSplit = count < 0 ? -1 : count
        return split(s, separator: old, maxSplit: maxSplit).joined(separator: new)
    }

    static func scalarIndex(of needle: String, in s: String) -> Int? {
        let hay = Array(s.unicodeScalars), n = Array(needle.unicodeScalars)
        guard n.count <= hay.count else { return nil }
        for k in 0...(hay.count - n.count) where Array(hay[k..<(k + n.count)]) == n { return k }
        return nil
    }

    /// Python's str.title(): uppercase after a non-letter, lowercase after a letter.
    static func title(_ s: String) -> String {
        var out = "", previousLetter = false
        for ch in s {
            let isLetter = ch.isLetter
            out += isLetter ? (previousLetter ? ch.lowercased() : ch.uppercased()) : String(ch)
            previousLetter = isLetter
        }
        return out
    }

    /// Python's str.capitalize(): first character upper, the rest lower.
    /// jinja2's `title` filter (not str.title): words start after runs of whitespace, '-', '(', '{', '[', '<';
    /// each word's first character is uppercased and the rest lowercased.
    static func titleFilter(_ s: String) -> String {
        let separators: Set<Character> = ["-", "(", "{", "[", "<"]
        var out = "", word = ""
        func flush() {
            if let first = word.first { out += first.uppercased() + word.dropFirst().lowercased() }
            word = ""
        }
        for ch in s {
            if ch.isWhitespace || separators.contains(ch) {
                flush()
                out.append(ch)
            } else {
                word.append(ch)
            }
        }
        flush()
        return out
    }

    static func capitalize(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst().lowercased()
    }

    /// Python's `seq[a:b:c]`.
    static func slice<T>(_ items: [T], _ start: Int?, _ stop: Int?, _ step: Int) -> [T] {
        let n = items.count
        func clamp(_ v: Int?, _ defaultValue: Int, low: Int, high: Int) -> Int {
            guard var v else { return defaultValue }
            if v < 0 { v += n }
            return min(max(v, low), high)
        }
        var out: [T] = []
        if step > 0 {
            var k = clamp(start, 0, low: 0, high: n)
            let end = clamp(stop, n, low: 0, high: n)
            while k < end {
                out.append(items[k])
                let (next, overflow) = k.addingReportingOverflow(step)
                if overflow { break }
                k = next
            }
        } else {
            var k = clamp(start, n - 1, low: -1, high: n - 1)
            let end = clamp(stop, -1, low: -1, high: n - 1)
            while k > end {
                out.append(items[k])
                let (next, overflow) = k.addingReportingOverflow(step)
                if overflow { break }
                k = next
            }
        }
        return out
    }

    /// Python's float repr: shortest round-trip digits, "1.0" for integral values, exponent from 1e16 up.
    static func floatRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        // Swift's description is also the shortest round-trip form and uses the same exponent thresholds
        // (scientific below 1e-4 and from 2^53 ≈ 9e15 up); Python switches at 1e16, handled here.
        var text = d.description
        if text.contains("e") {
            let magnitude = abs(d)
            if magnitude >= 1e-4 && magnitude < 1e16 {
                text = String(Int64(d)) + ".0"  // only integral values reach here (|d| ≥ 2^53)
            } else if let e = text.firstIndex(of: "e") {
                let mantissa = text[..<e]
                var exponent = String(text[text.index(after: e)...])
                let sign = exponent.hasPrefix("-") ? "-" : "+"
                exponent = String(exponent.drop(while: { $0 == "-" || $0 == "+" }))
                if exponent.count < 2 { exponent = "0" + exponent }
                let m = mantissa.hasSuffix(".0") ? String(mantissa.dropLast(2)) : String(mantissa)
                text = m + "e" + sign + exponent
            }
        }
        return text
    }

    /// Python's `repr()` of a str: single quotes unless the text has ' and no ".
    static func stringRepr(_ s: String) -> String {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex2(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    /// A JSON string literal as Python's json.dumps(ensure_ascii=False) writes it.
    static func jsonQuoted(_ s: String, ensureASCII: Bool = false) -> String {
        func escape(_ unit: UInt32) -> String {
            let hex = String(unit, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if c.value < 0x20 || (ensureASCII && c.value > 0x7E) {
                    if c.value > 0xFFFF {
                        let v = c.value - 0x10000
                        out += escape(0xD800 + (v >> 10)) + escape(0xDC00 + (v & 0x3FF))
                    } else {
                        out += escape(c.value)
                    }
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }

    /// Jinja's HTML escaping (`markupsafe.escape`).
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    private static func hex2(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }
}
