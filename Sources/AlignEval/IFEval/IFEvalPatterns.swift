// IFEvalPatterns: the fixed regular expressions of the reference `instructions.py`, as scanners over code points.
//
// Each function reproduces `re.findall`/`re.split` of one pattern with Python's semantics: `.` excludes only
// "\n", `^`/`$` under MULTILINE see only "\n", `\s`/`\d`/`\w` are Unicode classes (PyChar). Writing them out
// avoids ICU's differences (ICU also ends lines at "\r", U+2028, U+0085) and documents the quirks the reference
// has, e.g. `^\s*` crossing blank lines in the bullet-list pattern.

enum IFEvalPatterns {
    /// `len(re.findall(r"\[.*?\]", v))`: brackets closed before the next newline.
    static func placeholderCount(_ t: PyText) -> Int {
        var count = 0, i = 0
        while i < t.count {
            if t[i] == "[" {
                var j = i + 1
                while j < t.count, t[j] != "]", t[j] != "\n" { j += 1 }
                if j < t.count, t[j] == "]" { count += 1; i = j + 1; continue }
            }
            i += 1
        }
        return count
    }

    /// `len(re.findall(r"^\s*\*[^\*].*$", v, re.M)) + len(re.findall(r"^\s*-.*$", v, re.M))`.
    static func bulletCount(_ t: PyText) -> Int {
        lineMatches(t) { q in q + 1 < t.count && t[q] == "*" && t[q + 1] != "*" ? q + 2 : nil }
            + lineMatches(t) { q in t[q] == "-" ? q + 1 : nil }
    }

    /// findall of `^\s*X.*$` (MULTILINE). `\s*` may cross newlines; `X` is tested at the first non-space `q` by
    /// `head`, which returns where `.*` starts; the match then runs to the next "\n".
    private static func lineMatches(_ t: PyText, head: (Int) -> Int?) -> Int {
        var count = 0, pos = 0
        while pos < t.count {
            if pos == 0 || t[pos - 1] == "\n" {
                var q = pos
                while q < t.count, PyChar.isSpace(t[q]) { q += 1 }
                if q < t.count, let rest = head(q) {
                    var e = rest
                    while e < t.count, t[e] != "\n" { e += 1 }
                    count += 1
                    pos = max(e, pos + 1)
                    continue
                }
            }
            pos += 1
        }
        return count
    }

    /// Highlights: matches of `\*[^\n\*]*\*` with non-blank content, plus matches of `\*\*[^\n\*]*\*\*`
    /// with non-blank content (the reference counts both lists).
    static func highlightCount(_ t: PyText) -> Int {
        func scan(_ stars: Int) -> Int {
            var count = 0, i = 0
            while i + stars <= t.count {
                if (0..<stars).allSatisfy({ t[i + $0] == "*" }) {
                    var j = i + stars
                    while j < t.count, t[j] != "\n", t[j] != "*" { j += 1 }
                    if j + stars <= t.count, (0..<stars).allSatisfy({ t[j + $0] == "*" }) {
                        if !Array(t[(i + stars)..<j]).pyStrip().isEmpty { count += 1 }
                        i = j + stars
                        continue
                    }
                }
                i += 1
            }
            return count
        }
        return scan(1) + scan(2)
    }

    /// `re.split(r"\s?\*\*\*\s?", v)`.
    static func splitOnStarDivider(_ t: PyText) -> [PyText] {
        func stars(_ i: Int) -> Bool { i + 3 <= t.count && t[i] == "*" && t[i + 1] == "*" && t[i + 2] == "*" }
        var pieces: [PyText] = []
        var start = 0, i = 0
        while i < t.count {
            var end: Int?
            if PyChar.isSpace(t[i]), stars(i + 1) { end = i + 4 } else if stars(i) { end = i + 3 }
            guard var e = end else { i += 1; continue }
            if e < t.count, PyChar.isSpace(t[e]) { e += 1 }
            pieces.append(Array(t[start..<i]))
            start = e
            i = e
        }
        pieces.append(Array(t[start...]))
        return pieces
    }

    /// `len(re.split(r"\s?" + W + r"\s?\d+\s?", v)) - 1` for a literal splitter `W` (case-sensitive).
    static func sectionCount(_ t: PyText, splitter w: PyText) -> Int {
        var count = 0, i = 0
        while i + w.count <= t.count {
            if Array(t[i..<(i + w.count)]) == w {
                var j = i + w.count
                if j < t.count, PyChar.isSpace(t[j]), j + 1 < t.count, PyChar.isDecimal(t[j + 1]) { j += 1 }
                if j < t.count, PyChar.isDecimal(t[j]) {
                    while j < t.count, PyChar.isDecimal(t[j]) { j += 1 }
                    if j < t.count, PyChar.isSpace(t[j]) { j += 1 }
                    count += 1
                    i = j
                    continue
                }
            }
            i += 1
        }
        return count
    }

    /// Any match of `<<[^\n]+>>` whose text without the angle brackets is not blank. The greedy `[^\n]+`
    /// makes a match run from the first "<<" to the last ">>" of its line.
    static func hasTitle(_ t: PyText) -> Bool {
        var i = 0
        while i + 1 < t.count {
            if t[i] == "<", t[i + 1] == "<" {
                var lineEnd = i + 2
                while lineEnd < t.count, t[lineEnd] != "\n" { lineEnd += 1 }
                var p = lineEnd - 2
                while p >= i + 3, !(t[p] == ">" && t[p + 1] == ">") { p -= 1 }
                if p >= i + 3 {
                    let inner = Array(t[i..<(p + 2)]).pyStrip(["<"], trailing: false).pyStrip([">"], leading: false)
                    if !inner.pyStrip().isEmpty { return true }
                    i = p + 2
                    continue
                }
            }
            i += 1
        }
        return false
    }

    /// `re.findall` of `p\.\s?p\.\s?s` ("P.P.S") or `p\.\s?s\.` ("P.S.") in lowercased text: any hit.
    static func hasPostscript(_ t: PyText, doubleP: Bool) -> Bool {
        // Each element: a literal code point, or nil for an optional `\s?` (greedy, one code point).
        let parts: [Unicode.Scalar?] = doubleP ? ["p", ".", nil, "p", ".", nil, "s"] : ["p", ".", nil, "s", "."]
        func match(_ k: Int, _ i: Int) -> Bool {
            if k == parts.count { return true }
            guard let lit = parts[k] else {
                if i < t.count, PyChar.isSpace(t[i]), match(k + 1, i + 1) { return true }
                return match(k + 1, i)
            }
            return i < t.count && t[i] == lit && match(k + 1, i + 1)
        }
        return t.indices.contains { t[$0] == "p" && match(0, $0) }
    }
}
