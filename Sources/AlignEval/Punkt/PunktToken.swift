// PunktToken: one word token with Punkt's annotations (sentence break, abbreviation, ellipsis).
//
// Mirrors nltk 3.10.4 punkt.py `PunktToken`: `type` is the lowercased token with numbers replaced by
// "##number##" (regex `^-?[\.,]?\d[\d,\.-]*\.?$` on the whole token); the predicates are the class's regexes
// written as loops over code points. nltk ≥ 3.10 runs them on the `regex` module: `\d` = Nd, `[^\W\d]` = a
// `regex` word character (PyChar.isRegexWord) that is not a decimal digit.

/// A token and its Punkt annotations.
struct PunktToken {
    let tok: PyText
    let type: String
    let periodFinal: Bool
    var parastart = false
    var linestart = false
    var sentbreak = false
    var abbr = false
    var ellipsis = false

    init(_ tok: PyText, parastart: Bool = false, linestart: Bool = false) {
        self.tok = tok
        let lower = tok.pyLower()
        type = PunktToken.isNumeric(lower) ? "##number##" : lower.string
        periodFinal = tok.last == "."
        self.parastart = parastart
        self.linestart = linestart
    }

    /// `^-?[\.,]?\d[\d,\.-]*\.?$` as a full match.
    static func isNumeric(_ t: PyText) -> Bool {
        var i = 0
        if i < t.count, t[i] == "-" { i += 1 }
        if i < t.count, t[i] == "." || t[i] == "," { i += 1 }
        guard i < t.count, PyChar.isDecimal(t[i]) else { return false }
        i += 1
        // `[\d,\.-]*\.?$`: the greedy class already covers a final period.
        while i < t.count, PyChar.isDecimal(t[i]) || t[i] == "," || t[i] == "." || t[i] == "-" { i += 1 }
        return i == t.count
    }

    /// `type` without a final period (if the type is longer than one character).
    var typeNoPeriod: String {
        if type.unicodeScalars.count > 1, type.unicodeScalars.last == "." { return String(type.dropLast()) }
        return type
    }

    /// `type` without its final period if the token is a sentence break.
    var typeNoSentperiod: String { sentbreak ? typeNoPeriod : type }

    var firstUpper: Bool { tok.first.map(PyChar.isUpper) ?? false }
    var firstLower: Bool { tok.first.map(PyChar.isLower) ?? false }

    /// `\.\.+$` matched at the start: the whole token is two or more periods.
    var isEllipsis: Bool { tok.count >= 2 && tok.allSatisfy { $0 == "." } }

    var isNumber: Bool { type.hasPrefix("##number##") }

    /// `[^\W\d]\.$`: one non-digit word character and a period.
    var isInitial: Bool {
        tok.count == 2 && tok[1] == "." && PyChar.isRegexWord(tok[0]) && !PyChar.isDecimal(tok[0])
    }

    /// `[^\W\d]+$`: all non-digit word characters.
    var isAlpha: Bool { !tok.isEmpty && tok.allSatisfy { PyChar.isRegexWord($0) && !PyChar.isDecimal($0) } }
}
