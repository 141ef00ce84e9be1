// `tojson` as transformers defines it: `json.dumps(x, ensure_ascii=False, indent=indent,
// separators=separators, sort_keys=sort_keys)` (transformers/utils/chat_template_utils.py), so no HTML
// escaping, non-ASCII kept, Python's default separators (", ", ": "; "," between items once indented), and
// Python's float repr. Undefined and other non-JSON values are a runtime error, as json.dumps raises.

struct JinjaJSONOptions {
    var indent: String?
    var itemSeparator = ", "
    var keySeparator = ": "
    var sortKeys = false
    /// Python's ensure_ascii: non-ASCII as \uXXXX (UTF-16 surrogate pairs above U+FFFF).
    var ensureASCII = false
}

extension JinjaInterpreter {
    func toJSON(_ value: JinjaValue, _ options: JinjaJSONOptions, pos: JinjaSourcePosition) throws -> String {
        var out = ""
        try writeJSON(value, options, level: 0, into: &out, pos: pos)
        return out
    }

    private func writeJSON(_ value: JinjaValue, _ o: JinjaJSONOptions, level: Int, into out: inout String,
                           pos: JinjaSourcePosition) throws
    {
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            out += d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : JinjaPython.floatRepr(d)
        case .string(let s): out += JinjaPython.jsonQuoted(s, ensureASCII: o.ensureASCII)
        case .array(let items), .tuple(let items):
            try writeContainer(items.map { (nil as String?, $0) }, open: "[", close: "]", o, level, &out, pos)
        case .object(let obj):
            var pairs = obj.pairs
            if o.sortKeys { pairs.sort { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) } }
            try writeContainer(pairs.map { ($0.0 as String?, $0.1) }, open: "{", close: "}", o, level, &out, pos)
        case .namespace, .callable, .undefined, .iterator:
            throw runtime("Object of type \(value.typeName) is not JSON serializable", pos)
        }
    }

    private func writeContainer(_ items: [(String?, JinjaValue)], open: String, close: String,
                                _ o: JinjaJSONOptions, _ level: Int, _ out: inout String, _ pos: JinjaSourcePosition) throws
    {
        guard !items.isEmpty else { out += open + close; return }
        out += open
        let newline = o.indent.map { "\n" + String(repeating: $0, count: level + 1) }
        for (k, (key, item)) in items.enumerated() {
            if k > 0 { out += o.itemSeparator }
            if let newline { out += newline }
            if let key { out += JinjaPython.jsonQuoted(key, ensureASCII: o.ensureASCII) + o.keySeparator }
            try writeJSON(item, o, level: level + 1, into: &out, pos: pos)
        }
        if let indent = o.indent { out += "\n" + String(repeating: indent, count: level) }
        out += close
    }
}
