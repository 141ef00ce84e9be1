// PunktLanguageVars: Punkt's two English regular expressions, written out as scanners over code points.
//
// Mirrors nltk 3.10.4 punkt.py `PunktLanguageVars`:
//   word tokenizer   `( MultiChar | (?=WordStart)\S+?(?=\s|$|NonWord|MultiChar|,(?=$|\s|NonWord|MultiChar)) | \S )`
//   period context   `[.?!](?=(?P<after_tok>NonWord|\s+(?P<next_tok>\S+)))`
// with MultiChar = `(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)`, WordStart = `[^\(\"\`{\[:;&\#\*@\)}\]\-,]` and
// NonWord = `[)\";}\]\*:@\'\({\[` + curly quotes U+2018/2019/201C/201D and guillemets + `?!]`.
// nltk >= 3.10 compiles these with the third-party `regex` module (nltk/redos.py): `\s`/`\S` are White_Space
// (PyChar.isRegexSpace); `$` without MULTILINE also matches before a final "\n" (never present: lines are
// split on "\n" first).

enum PunktLanguageVars {
    static func isSentEnd(_ c: Unicode.Scalar) -> Bool { c == "." || c == "?" || c == "!" }

    /// NonWord: characters that cannot appear within words.
    static func isNonWord(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case ")", "\"", ";", "}", "]", "*", ":", "@", "'", "(", "{", "[", "?", "!",
             "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{AB}", "\u{BB}": return true
        default: return false
        }
    }

    /// WordStart excludes these characters from starting a word token.
    static func canStartWord(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "(", "\"", "`", "{", "[", ":", ";", "&", "#", "*", "@", ")", "}", "]", "-", ",": return false
        default: return true
        }
    }

    /// Length of a MultiChar match (`--+`, `..+`, or `. . .`-style) at `i`, or 0.
    static func multiCharLength(_ t: PyText, _ i: Int) -> Int {
        guard i < t.count else { return 0 }
        if t[i] == "-" || t[i] == "." {
            var j = i
            while j < t.count, t[j] == t[i] { j += 1 }
            if j - i >= 2 { return j - i }
        }
        guard t[i] == "." else { return 0 }
        // (?:\.\s){2,}\. — greedy repetitions, backtracking one if no closing period follows.
        var reps = 0
        while i + 2 * reps + 1 < t.count, t[i + 2 * reps] == ".", PyChar.isRegexSpace(t[i + 2 * reps + 1]) { reps += 1 }
        if reps >= 2, i + 2 * reps < t.count, t[i + 2 * reps] == "." { return 2 * reps + 1 }
        if reps >= 3 { return 2 * reps - 1 }
        return 0
    }

    /// The word-end lookahead of the word alternative, tested at `p`.
    static func endsWord(_ t: PyText, _ p: Int) -> Bool {
        if p >= t.count || PyChar.isRegexSpace(t[p]) || isNonWord(t[p]) || multiCharLength(t, p) > 0 { return true }
        if t[p] == "," {
            let q = p + 1
            return q >= t.count || PyChar.isRegexSpace(t[q]) || isNonWord(t[q]) || multiCharLength(t, q) > 0
        }
        return false
    }

    /// `PunktLanguageVars.word_tokenize(line)`: `re.findall` of the word tokenizer regex.
    static func wordTokenize(_ t: PyText) -> [PyText] {
        var tokens: [PyText] = []
        var i = 0
        while i < t.count {
            let m = multiCharLength(t, i)
            if m > 0 {
                tokens.append(Array(t[i..<(i + m)])); i += m; continue
            }
            if PyChar.isRegexSpace(t[i]) { i += 1; continue }
            if canStartWord(t[i]) {
                var p = i + 1
                while p < t.count, !PyChar.isRegexSpace(t[p]), !endsWord(t, p) { p += 1 }
                // `\S+?` cannot cross whitespace; the lookahead always holds at whitespace or the end.
                tokens.append(Array(t[i..<p])); i = p; continue
            }
            tokens.append([t[i]]); i += 1
        }
        return tokens
    }

    /// One match of the period-context regex.
    struct PeriodContext {
        /// Index of the sentence-end character; the match is `[start, start + 1)`.
        let start: Int
        /// End of `after_tok` (the lookahead group).
        let afterEnd: Int
        /// Start of `next_tok`, or nil when `after_tok` was a NonWord character.
        let nextTokStart: Int?
    }

    /// `period_context_re().finditer(text)`.
    static func periodContexts(_ t: PyText) -> [PeriodContext] {
        var out: [PeriodContext] = []
        var i = 0
        while i < t.count {
            defer { i += 1 }
            guard isSentEnd(t[i]), i + 1 < t.count else { continue }
            let a = i + 1
            if isNonWord(t[a]) {
                out.append(PeriodContext(start: i, afterEnd: a + 1, nextTokStart: nil)); continue
            }
            var j = a
            while j < t.count, PyChar.isRegexSpace(t[j]) { j += 1 }
            guard j > a, j < t.count else { continue }
            var k = j
            while k < t.count, !PyChar.isRegexSpace(t[k]) { k += 1 }
            out.append(PeriodContext(start: i, afterEnd: k, nextTokStart: j))
        }
        return out
    }
}
