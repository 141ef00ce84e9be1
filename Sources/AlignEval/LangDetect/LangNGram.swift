// LangNGram: langdetect's character normalization and rolling 1–3-gram window.
//
// Port of langdetect 1.0.9 `utils/ngram.py` (`NGram.normalize`, `normalize_vi`, `add_char`). Block ranges are
// those of `utils/unicode_block.py`. A normalized character is one code point.

extension LangNormalizationTables {
    /// `NGram.normalize(ch)`.
    func normalize(_ c: Unicode.Scalar) -> Unicode.Scalar {
        let v = c.value
        switch v {
        case 0x0000...0x007F:  // Basic Latin: only letters survive
            return (v < 0x41 || (v > 0x5A && v < 0x61) || v > 0x7A) ? " " : c
        case 0x0080...0x00FF:  // Latin-1 Supplement
            return latin1Excluded.contains(c) ? " " : c
        case 0x0180...0x024F:  // Latin Extended-B: Romanian comma-below → cedilla
            if v == 0x0219 { return "\u{015F}" }
            if v == 0x021B { return "\u{0163}" }
            return c
        case 0x2000...0x206F: return " "  // General Punctuation
        case 0x0600...0x06FF: return v == 0x06CC ? "\u{064A}" : c  // Farsi yeh → Arabic yeh
        case 0x1E00...0x1EFF: return v >= 0x1EA0 ? "\u{1EC3}" : c  // Latin Extended Additional
        case 0x3040...0x309F: return "\u{3042}"  // Hiragana
        case 0x30A0...0x30FF: return "\u{30A2}"  // Katakana
        case 0x3100...0x312F, 0x31A0...0x31BF: return "\u{3105}"  // Bopomofo (+ Extended)
        case 0x4E00...0x9FFF: return cjkMap[c] ?? c  // CJK Unified Ideographs
        case 0xAC00...0xD7AF: return "\u{AC00}"  // Hangul Syllables
        default: return c
        }
    }

    /// `NGram.normalize_vi(text)`: a Vietnamese base letter followed by a combining mark becomes the composed letter.
    func normalizeVietnamese(_ text: PyText) -> PyText {
        var out = PyText()
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if i + 1 < text.count, let letter = viLetters.firstIndex(of: text[i]),
               let mark = viMarks.firstIndex(of: text[i + 1]) {
                out.append(viComposed[mark][letter]); i += 2
            } else {
                out.append(text[i]); i += 1
            }
        }
        return out
    }
}

/// The rolling n-gram buffer of `NGram` (`grams`, at most 3 code points, starting with a space after a word break).
struct LangNGram {
    private(set) var grams: [Unicode.Scalar] = [" "]
    private(set) var capitalWord = false

    /// `NGram.add_char(ch)` with `ch` already normalized.
    mutating func add(_ ch: Unicode.Scalar) {
        let last = grams[grams.count - 1]
        if last == " " {
            grams = [" "]
            capitalWord = false
            if ch == " " { return }
        } else if grams.count >= 3 {
            grams.removeFirst()
        }
        grams.append(ch)
        if PyChar.isUpper(ch) {
            if PyChar.isUpper(last) { capitalWord = true }
        } else {
            capitalWord = false
        }
    }
}
