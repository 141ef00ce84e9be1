// PunktSentenceTokenizer+Annotation: deciding whether a candidate context holds a sentence break.
//
// Port of nltk 3.10.4 punkt.py `_tokenize_words`, `_first_pass_annotation`, `_second_pass_annotation`,
// `_ortho_heuristic` and `text_contains_sentbreak` (Kiss & Strunk 2006, sections 3 and 4.1).

extension PunktSentenceTokenizer {
    /// `_tokenize_words`: tokens per line, marking line and paragraph starts (a blank line starts a paragraph).
    func tokenizeWords(_ text: PyText) -> [PunktToken] {
        var tokens: [PunktToken] = []
        var parastart = false
        for line in text.pySplit(["\n"]) {
            if line.pyStrip().isEmpty { parastart = true; continue }
            let words = PunktLanguageVars.wordTokenize(line)
            guard let first = words.first else { continue }
            tokens.append(PunktToken(first, parastart: parastart, linestart: true))
            parastart = false
            for w in words.dropFirst() { tokens.append(PunktToken(w)) }
        }
        return tokens
    }

    /// `text_contains_sentbreak`: true if a token other than the last is a sentence break after annotation.
    func containsSentbreak(_ text: PyText) -> Bool {
        var tokens = tokenizeWords(text)
        for i in tokens.indices { firstPass(&tokens[i]) }
        for i in tokens.indices {
            if i + 1 < tokens.count { secondPass(&tokens[i], tokens[i + 1]) }
            if tokens[i].sentbreak, i + 1 < tokens.count { return true }
        }
        return false
    }

    /// `_first_pass_annotation`: sentence-end characters, ellipses, known abbreviations, other period-final words.
    func firstPass(_ t: inout PunktToken) {
        let tok = t.tok
        if tok.count == 1, PunktLanguageVars.isSentEnd(tok[0]) {
            t.sentbreak = true
        } else if t.isEllipsis {
            t.ellipsis = true
        } else if t.periodFinal, !tok.pyHasSuffix([".", "."]) {
            let stem = Array(tok.dropLast()).pyLower()
            let lastPart = stem.pySplit(["-"]).last ?? stem
            if params.abbrevTypes.contains(stem.string) || params.abbrevTypes.contains(lastPart.string) {
                t.abbr = true
            } else {
                t.sentbreak = true
            }
        }
    }

    /// `_second_pass_annotation`: revises a period-final token using the token after it.
    func secondPass(_ t1: inout PunktToken, _ t2: PunktToken) {
        guard t1.periodFinal else { return }
        let typ = t1.typeNoPeriod
        let nextTyp = t2.typeNoSentperiod
        let isInitial = t1.isInitial
        if params.collocations.contains(typ + "\t" + nextTyp) {
            t1.sentbreak = false; t1.abbr = true; return
        }
        if (t1.abbr || t1.ellipsis) && !isInitial {
            let starter = orthoHeuristic(t2)
            if starter == .yes { t1.sentbreak = true; return }
            if t2.firstUpper, params.sentStarters.contains(nextTyp) { t1.sentbreak = true; return }
        }
        if isInitial || typ == "##number##" {
            let starter = orthoHeuristic(t2)
            if starter == .no { t1.sentbreak = false; t1.abbr = true; return }
            if starter == .unknown, isInitial, t2.firstUpper,
               (params.orthoContext[nextTyp] ?? 0) & PunktOrtho.lc == 0 {
                t1.sentbreak = false; t1.abbr = true
            }
        }
    }

    enum SentStarter { case yes, no, unknown }

    /// `_ortho_heuristic`: is `t` the first token of a sentence, judged by the cases its type was seen with?
    func orthoHeuristic(_ t: PunktToken) -> SentStarter {
        if t.tok.count == 1, ";:,.!?".unicodeScalars.contains(t.tok[0]) { return .no }
        let ctx = params.orthoContext[t.typeNoSentperiod] ?? 0
        if t.firstUpper, ctx & PunktOrtho.lc != 0, ctx & PunktOrtho.midUC == 0 { return .yes }
        if t.firstLower, ctx & PunktOrtho.uc != 0 || ctx & PunktOrtho.begLC == 0 { return .no }
        return .unknown
    }
}
