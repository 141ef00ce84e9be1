// IFEval checks on combination, start/end, case and punctuation (reference classes TwoResponsesChecker,
// RepeatPromptThenAnswer, EndChecker, QuotationChecker, CapitalWordFrequencyChecker,
// CapitalLettersEnglishChecker, LowercaseLettersEnglishChecker, CommaChecker in google-research instructions.py).

/// combination:two_responses — exactly two non-blank, different responses separated by "******".
struct TwoResponsesChecker: IFEvalCheck {
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        let pieces = v.pySplit(Array("******".unicodeScalars))
        var valid: [PyText] = []
        for (i, p) in pieces.enumerated() {
            if p.pyStrip().isEmpty {
                if i != 0 && i != pieces.count - 1 { return false }
            } else {
                valid.append(p)
            }
        }
        return valid.count == 2 && valid[0].pyStrip() != valid[1].pyStrip()
    }
}

/// combination:repeat_prompt — the response starts with the prompt (both stripped and lowercased).
struct RepeatPromptThenAnswer: IFEvalCheck {
    let prompt: PyText
    init(_ k: IFEvalKwargs, prompt _: String) throws {
        prompt = PyText(py: try k.string("prompt_to_repeat")).pyStrip().pyLower()
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool { v.pyStrip().pyLower().pyHasPrefix(prompt) }
}

/// startend:end_checker — the response (stripped, outer ASCII quotes removed, lowercased) ends with the phrase.
struct EndChecker: IFEvalCheck {
    let phrase: PyText
    init(_ k: IFEvalKwargs) throws { phrase = PyText(py: try k.string("end_phrase")).pyStrip().pyLower() }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        v.pyStrip().pyStrip(["\""]).pyLower().pyHasSuffix(phrase)
    }
}

/// startend:quotation — the stripped response is longer than one code point and starts and ends with ASCII `"`.
struct QuotationChecker: IFEvalCheck {
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        let s = v.pyStrip()
        return s.count > 1 && s.first == "\"" && s.last == "\""
    }
}

/// change_case:capital_word_frequency — all-uppercase `nltk.word_tokenize` tokens compared by `relation`.
struct CapitalWordFrequencyChecker: IFEvalCheck {
    let frequency: Int
    let relation: IFEvalRelation
    init(_ k: IFEvalKwargs) throws {
        frequency = try k.count("capital_frequency")
        relation = try k.relation("capital_relation")
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        let count = tools.words.tokenize(v).filter { PyText(py: $0).pyIsUpper }.count
        return relation.holds(count, frequency)
    }
}

/// change_case:english_capital — `v.isupper()` and langdetect says "en" (a detection failure counts as followed).
struct CapitalLettersEnglishChecker: IFEvalCheck {
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool { v.pyIsUpper && tools.languageIs("en", v) }
}

/// change_case:english_lowercase — `v.islower()` and langdetect says "en" (a detection failure counts as followed).
struct LowercaseLettersEnglishChecker: IFEvalCheck {
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool { v.pyIsLower && tools.languageIs("en", v) }
}

/// punctuation:no_comma — no U+002C anywhere.
struct CommaChecker: IFEvalCheck {
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool { !v.contains(",") }
}
