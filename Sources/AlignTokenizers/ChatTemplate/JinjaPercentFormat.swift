// Python's printf-style `str % values` (and jinja2's `format` filter, which uses it): `%s %r %d %i %f %F %x
// %X %o %c %%`, with `%(name)s` keys from a dict, flags `-+ 0`, width and precision. Follows CPython's
// "printf-style String Formatting" documentation; `%e`/`%g` are reported as unsupported.

extension JinjaInterpreter {
    static let maxFieldWidth = 10_000

    func percentFormat(_ format: String, _ values: JinjaValue, pos: JinjaSourcePosition) throws -> String {
        var positional: [JinjaValue]
        if case .tuple(let items) = values { positional = items } else { positional = [values] }
        var out = ""
        var chars = Array(format)[...]
        var usedMapping = false
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            var key: String?
            if chars.first == "(" {
                chars.removeFirst()
                guard let close = chars.firstIndex(of: ")") else { throw runtime("incomplete format key", pos) }
                key = String(chars[..<close])
                chars = chars[chars.index(after: close)...]
            }
            var flags = ""
            while let f = chars.first, "-+ 0#".contains(f) { flags.append(f); chars.removeFirst() }
            var width = ""
            while let d = chars.first, d.isASCII, d.isNumber { width.append(d); chars.removeFirst() }
            var precision: Int?
            if chars.first == "." {
                chars.removeFirst()
                var digits = ""
                while let d = chars.first, d.isASCII, d.isNumber { digits.append(d); chars.removeFirst() }
                precision = Int(digits) ?? 0
            }
            guard let type = chars.popFirst() else { throw runtime("incomplete format", pos) }
            if type == "%" { out.append("%"); continue }
            let value: JinjaValue
            if let key {
                guard case .object(let o) = values, let v = o[key] else { throw runtime("format key '\(key)' missing", pos) }
                value = v
                usedMapping = true
            } else {
                guard !positional.isEmpty else { throw runtime("not enough arguments for format string", pos) }
                value = positional.removeFirst()
            }
            // Bounds keep a hostile width or precision from allocating without limit.
            guard (Int(width) ?? 0) <= Self.maxFieldWidth, (precision ?? 0) <= Self.maxFieldWidth else {
                throw runtime("format width or precision above \(Self.maxFieldWidth)", pos)
            }
            let text = try formatOne(value, type: type, flags: flags, precision: precision, pos: pos)
            out += pad(text, width: Int(width) ?? 0, flags: flags, numeric: !"sr".contains(type))
        }
        // Python: leftover values are an error unless the right side is mapping-like, i.e. has __getitem__
        // (dicts, lists, and jinja2's Undefined).
        if !positional.isEmpty && !usedMapping {
            switch values {
            case .object, .array, .undefined: break
            default: throw runtime("not all arguments converted during string formatting", pos)
            }
        }
        return out
    }

    private func formatOne(_ v: JinjaValue, type: Character, flags: String, precision: Int?, pos: JinjaSourcePosition)
        throws -> String
    {
        func sign(_ negative: Bool) -> String { negative ? "-" : flags.contains("+") ? "+" : flags.contains(" ") ? " " : "" }
        switch type {
        case "s":
            let s = v.outputString
            return precision.map { String(s.prefix($0)) } ?? s
        case "r": return v.pythonRepr
        case "d", "i", "x", "X", "o":
            guard let n = v.number, let i = Int(exactly: n.rounded(.towardZero)) else {
                throw runtime("%\(type) format: an integer in range is required, not \(v.typeName)", pos)
            }
            let radix = type == "x" || type == "X" ? 16 : type == "o" ? 8 : 10
            let digits = String(i.magnitude, radix: radix, uppercase: type == "X")
            return sign(i < 0) + digits
        case "f", "F":
            guard let n = v.number else { throw runtime("%f format: a real number is required, not \(v.typeName)", pos) }
            return sign(n < 0 || (n == 0 && n.sign == .minus)) + fixed(abs(n), digits: precision ?? 6)
        case "c":
            if case .string(let s) = v, s.count == 1 { return s }
            if case .int(let i) = v, let scalar = Unicode.Scalar(UInt32(clamping: i)) { return String(scalar) }
            throw runtime("%c requires an int or a single character", pos)
        default:
            throw ChatTemplateError.unsupported(construct: "format type '%\(type)'", line: pos.line, column: pos.column)
        }
    }

    /// Fixed-point text with round-half-even on the exact binary value (as C's printf does) for |x| < 2^53.
    private func fixed(_ x: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<min(digits, 15) { scale *= 10 }
        let scaled = (x * scale).rounded(.toNearestOrEven)
        guard scaled < 9.0e15 else { return JinjaPython.floatRepr(x) }
        let whole = Int(scaled)
        let divisor = Int(scale)
        let intPart = String(whole / divisor)
        guard digits > 0 else { return intPart }
        let frac = String(whole % divisor)
        return intPart + "." + String(repeating: "0", count: min(digits, 15) - frac.count) + frac
            + String(repeating: "0", count: max(0, digits - 15))
    }

    private func pad(_ text: String, width: Int, flags: String, numeric: Bool) -> String {
        let missing = width - text.count
        guard missing > 0 else { return text }
        if flags.contains("-") { return text + String(repeating: " ", count: missing) }
        if numeric && flags.contains("0") {
            if let first = text.first, "+- ".contains(first) {
                return String(first) + String(repeating: "0", count: missing) + text.dropFirst()
            }
            return String(repeating: "0", count: missing) + text
        }
        return String(repeating: " ", count: missing) + text
    }
}
