// IFEval checks on keywords, letters and language (reference classes KeywordChecker, KeywordFrequencyChecker,
// ForbiddenWords, LetterFrequencyChecker, ResponseLanguageChecker in google-research instructions.py).

/// keywords:existence — every keyword found case-insensitively (as an unescaped regex, no word boundaries).
struct KeywordChecker: IFEvalCheck {
    let patterns: [IFEvalKeywordPattern]
    init(_ k: IFEvalKwargs) throws {
        // The reference sorts the keywords; the order does not change the verdict.
        patterns = try k.strings("keywords").sorted().map {
            try IFEvalKeywordPattern($0, wordBounded: false, kwargs: k, name: "keywords")
        }
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        let lowered = v.caseFolded
        return patterns.allSatisfy { $0.found(in: v, lowered: lowered) }
    }
}

/// keywords:frequency — non-overlapping case-insensitive occurrences of `keyword`, compared by `relation`.
struct KeywordFrequencyChecker: IFEvalCheck {
    let pattern: IFEvalKeywordPattern
    let frequency: Int
    let relation: IFEvalRelation
    init(_ k: IFEvalKwargs) throws {
        pattern = try IFEvalKeywordPattern(try k.string("keyword"), wordBounded: false, kwargs: k, name: "keyword")
        frequency = try k.count("frequency")
        relation = try k.relation("relation")
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        relation.holds(pattern.matches(in: v, lowered: v.caseFolded).count, frequency)
    }
}

/// keywords:forbidden_words — none of the words appears between word boundaries (case-insensitive).
struct ForbiddenWords: IFEvalCheck {
    let patterns: [IFEvalKeywordPattern]
    init(_ k: IFEvalKwargs) throws {
        patterns = try Set(k.strings("forbidden_words")).sorted().map {
            try IFEvalKeywordPattern($0, wordBounded: true, kwargs: k, name: "forbidden_words")
        }
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        let lowered = v.caseFolded
        return !patterns.contains { $0.found(in: v, lowered: lowered) }
    }
}

/// keywords:letter_frequency — count of the code point `letter.strip().lower()` in `v.lower()`.
/// The current google-research file accepts any single character (older copies replaced non a–z letters by a
/// random letter; we follow the current file, whose verdicts are in shared/data/ifeval/expected).
struct LetterFrequencyChecker: IFEvalCheck {
    let letter: PyText
    let frequency: Int
    let relation: IFEvalRelation
    init(_ k: IFEvalKwargs) throws {
        let raw = PyText(py: try k.string("letter"))
        guard raw.count == 1 else { throw k.error("letter", "a single character") }
        letter = raw.pyStrip().pyLower()
        frequency = try k.count("let_frequency")
        relation = try k.relation("let_relation")
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        // Counter(v.lower())[letter]: a key that is not one code point (e.g. "" after strip) counts 0.
        let count = letter.count == 1 ? v.pyLower().reduce(0) { $0 + ($1 == letter[0] ? 1 : 0) } : 0
        return relation.holds(count, frequency)
    }
}

/// language:response_language — langdetect's verdict equals `language`; a detection failure counts as followed.
struct ResponseLanguageChecker: IFEvalCheck {
    let language: String
    init(_ k: IFEvalKwargs) throws { language = try k.string("language") }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool { tools.languageIs(language, v) }
}
