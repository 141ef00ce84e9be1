// LangNormalizationTables: langdetect's character normalization (per-character block rules, CJK classes,
// Vietnamese diacritic composition), read from its messages.properties.
//
// Mirrors langdetect 1.0.9 `utils/ngram.py` (`NGram.normalize`, `NGram.normalize_vi`, `_init_cjk_map`) and
// `utils/messages.py` (lines `key=value`, values with `\uXXXX` escapes). The block ranges are those of
// `utils/unicode_block.py` for the blocks `normalize` tests.
import Foundation

/// Character tables used by `LangNGram` and `LangDetector`.
struct LangNormalizationTables: Sendable {
    /// Latin-1 characters mapped to a space (NGram.LATIN1_EXCLUDE).
    let latin1Excluded: Set<Unicode.Scalar>
    /// Kanji → representative of its class (the first character of each NGram.KANJI_* list; later lists win).
    let cjkMap: [Unicode.Scalar: Unicode.Scalar]
    /// Vietnamese: base letters, combining marks, and the composed letters per (mark, letter).
    let viLetters: [Unicode.Scalar]
    let viMarks: [Unicode.Scalar]
    let viComposed: [[Unicode.Scalar]]

    init(url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw AlignEvalError.unreadableFile(path: url.path, reason: "\(error)")
        }
        var values: [String: [Unicode.Scalar]] = [:]
        var kanjiKeys: [String] = []
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq]).trimmingCharacters(in: .whitespaces)
            values[key] = LangNormalizationTables.unescape(line[line.index(after: eq)...])
            if key.hasPrefix("NGram.KANJI_") { kanjiKeys.append(key) }
        }
        func get(_ k: String) throws -> [Unicode.Scalar] {
            guard let v = values[k] else { throw AlignEvalError.badResource(name: url.path, reason: "missing key \(k)") }
            return v
        }
        latin1Excluded = Set(try get("NGram.LATIN1_EXCLUDE"))
        var cjk: [Unicode.Scalar: Unicode.Scalar] = [:]
        for key in kanjiKeys {
            let chars = try get(key)
            guard let rep = chars.first else { continue }
            for c in chars { cjk[c] = rep }
        }
        cjkMap = cjk
        viLetters = try get("TO_NORMALIZE_VI_CHARS")
        viMarks = try get("DMARK_CLASS")
        viComposed = try ["0300", "0301", "0303", "0309", "0323"].map { try get("NORMALIZED_VI_CHARS_" + $0) }
        guard viComposed.allSatisfy({ $0.count == viLetters.count }), viMarks.count == viComposed.count else {
            throw AlignEvalError.badResource(name: url.path, reason: "Vietnamese tables have inconsistent lengths")
        }
    }

    /// Decodes `\uXXXX` escapes (the only escapes the file uses); other characters are kept.
    static func unescape(_ s: Substring) -> [Unicode.Scalar] {
        let chars = Array(s.unicodeScalars)
        var out: [Unicode.Scalar] = []
        var i = 0
        while i < chars.count {
            if chars[i] == "\\", i + 5 < chars.count, chars[i + 1] == "u",
               let v = UInt32(String(String.UnicodeScalarView(chars[(i + 2)..<(i + 6)])), radix: 16),
               let scalar = Unicode.Scalar(v) {
                out.append(scalar); i += 6
            } else {
                out.append(chars[i]); i += 1
            }
        }
        return out.filter { $0 != "\r" }
    }
}
