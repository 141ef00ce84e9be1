// IFEvalKeywordSearch: the reference's keyword regexes — `re.search(kw, v, re.I)`, `re.findall(kw, v, re.I)`
// and `re.search(r"\b" + kw + r"\b", v, re.I)` — where the keyword is used as a regex, unescaped.
//
// Keywords in IFEval are plain words, so a keyword without regex metacharacters is matched as a literal, per code
// point, under `re.IGNORECASE`'s simple case folding, with Python's `\b` (a change of `\w`-ness). A keyword with
// metacharacters falls back to ICU (NSRegularExpression, case-insensitive), whose syntax and Unicode classes are
// close to but not identical to Python's; such keywords do not occur in the IFEval data.
import Foundation

/// A compiled keyword pattern.
struct IFEvalKeywordPattern: @unchecked Sendable {
    // NSRegularExpression is immutable and thread-safe.
    private let literal: PyText?
    private let regex: NSRegularExpression?

    static let metacharacters = Set(".^$*+?{}[]\\|()".unicodeScalars)

    /// Compiles `keyword`; `wordBounded` wraps it in `\b…\b`.
    init(_ keyword: String, wordBounded: Bool, kwargs: IFEvalKwargs, name: String) throws {
        let k = PyText(py: keyword)
        if k.contains(where: { IFEvalKeywordPattern.metacharacters.contains($0) }) {
            literal = nil
            let pattern = wordBounded ? "\\b(?:" + keyword + ")\\b" : keyword
            do { regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) } catch {
                throw kwargs.error(name, "a valid regular expression (\(error))")
            }
        } else {
            literal = k.map(PyChar.simpleLower)
            regex = nil
        }
        self.wordBounded = wordBounded
    }

    private let wordBounded: Bool

    /// Python's `\b` at `p`: exactly one side is a word character.
    static func isBoundary(_ t: PyText, _ p: Int) -> Bool {
        let before = p > 0 && PyChar.isWord(t[p - 1])
        let after = p < t.count && PyChar.isWord(t[p])
        return before != after
    }

    /// Non-overlapping match ranges, left to right (`re.finditer`).
    func matches(in t: PyText, lowered: PyText) -> [Range<Int>] {
        if let regex {
            let s = t.string
            return regex.matches(in: s, range: NSRange(s.startIndex..., in: s)).compactMap { m in
                guard let r = Range(m.range, in: s) else { return nil }
                let lo = s.unicodeScalars.distance(from: s.unicodeScalars.startIndex, to: r.lowerBound)
                return lo..<(lo + s.unicodeScalars[r].count)
            }
        }
        guard let k = literal else { return [] }
        var out: [Range<Int>] = []
        var i = 0
        while i + k.count <= lowered.count {
            if Array(lowered[i..<(i + k.count)]) == k,
               !wordBounded || (IFEvalKeywordPattern.isBoundary(t, i) && IFEvalKeywordPattern.isBoundary(t, i + k.count)) {
                out.append(i..<(i + k.count))
                i += max(k.count, 1)
            } else {
                i += 1
            }
        }
        return out
    }

    /// `re.search(...)` found something.
    func found(in t: PyText, lowered: PyText) -> Bool { !matches(in: t, lowered: lowered).isEmpty }
}

extension PyText {
    /// Each code point mapped by simple lowercase (what `re.IGNORECASE` compares); same length as `self`.
    var caseFolded: PyText { map(PyChar.simpleLower) }
}
