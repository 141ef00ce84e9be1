// LangTextFilters: langdetect's URL and e-mail removal, written as scanners.
//
// Mirrors langdetect 1.0.9 detector.py `URL_RE = https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}` and
// `MAIL_RE = [-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}`, each replaced by one space
// with `re.sub` (leftmost, non-overlapping matches).

enum LangTextFilters {
    static func isURLChar(_ c: Unicode.Scalar) -> Bool {
        isAlnumASCII(c) || "-_.?&~;+=/#".unicodeScalars.contains(c)
    }
    static func isAlnumASCII(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
    }
    static func isLocalChar(_ c: Unicode.Scalar) -> Bool { isAlnumASCII(c) || c == "-" || c == "_" || c == "." }
    static func isDomainHead(_ c: Unicode.Scalar) -> Bool { isAlnumASCII(c) || c == "-" || c == "_" }

    /// `URL_RE.sub(' ', text)`.
    static func replaceURLs(_ t: PyText) -> PyText {
        var out = PyText()
        out.reserveCapacity(t.count)
        var i = 0
        let http = Array("http".unicodeScalars), sep = Array("://".unicodeScalars)
        while i < t.count {
            if t[i] == "h", t.count - i >= 8, Array(t[i..<(i + 4)]) == http {
                var j = i + 4
                if t[j] == "s" { j += 1 }
                if j + 3 <= t.count, Array(t[j..<(j + 3)]) == sep {
                    var k = j + 3
                    while k < t.count, k - (j + 3) < 2076, isURLChar(t[k]) { k += 1 }
                    if k > j + 3 { out.append(" "); i = k; continue }
                }
            }
            out.append(t[i]); i += 1
        }
        return out
    }

    /// `MAIL_RE.sub(' ', text)`: for each '@' in order, the leftmost local part (≤ 64 chars) and the domain
    /// (a non-dot run of ≤ 255, then ≤ 255 more allowing dots; at least two characters in all).
    static func replaceEmails(_ t: PyText) -> PyText {
        var out = PyText()
        out.reserveCapacity(t.count)
        var copied = 0
        var a = 0
        while a < t.count {
            defer { a += 1 }
            guard t[a] == "@" else { continue }
            var start = a
            while start > copied, a - start < 64, isLocalChar(t[start - 1]) { start -= 1 }
            guard start < a else { continue }
            var r1 = 0
            while a + 1 + r1 < t.count, r1 < 255, isDomainHead(t[a + 1 + r1]) { r1 += 1 }
            guard r1 >= 1 else { continue }
            var r2 = 0
            while a + 1 + r1 + r2 < t.count, r2 < 255, isLocalChar(t[a + 1 + r1 + r2]) { r2 += 1 }
            let end: Int
            if r2 >= 1 { end = a + 1 + r1 + r2 } else if r1 >= 2 { end = a + 1 + r1 } else { continue }
            out.append(contentsOf: t[copied..<start])
            out.append(" ")
            copied = end
            a = end - 1
        }
        out.append(contentsOf: t[copied...])
        return out
    }
}
