// JSONText: JSON string literals written the two ways the reference writers write them —
// serde_json's (safetensors headers: compact, UTF-8 kept raw, control characters as \b \f \n \r \t
// or \u00xx with lowercase hex) and Python's json.dumps default ensure_ascii=True (index files:
// everything outside ASCII as \uxxxx, surrogate pairs for astral characters).

enum JSONText {
    /// `s` as a quoted JSON string. `asciiOnly` escapes non-ASCII like Python's `ensure_ascii`.
    static func quoted(_ s: String, asciiOnly: Bool = false) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || (asciiOnly && u.value > 0x7E) {
                    out += utf16Escapes(u)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// `\uxxxx` escapes of `u` (two for characters beyond the BMP).
    private static func utf16Escapes(_ u: Unicode.Scalar) -> String {
        String(Character(u)).utf16.map { unit in
            let hex = String(unit, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }.joined()
    }
}
