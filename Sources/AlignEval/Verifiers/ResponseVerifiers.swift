// Verifiers of constraints on the response alone (ACT class 1): length in words/sentences/tokens/characters/
// bullets, keywords (inclusion, exclusion, frequency), regex, JSON and JSON Schema validity, section structure,
// case, language and label-set membership. Counting reuses IFEval's definitions (nltk-style words, Punkt
// sentences, word_tokenize tokens, IFEval's bullet pattern), so the two agree.
import Foundation

/// `*_count` constraints: a count within [min, max].
struct CountVerifier: ResponseVerifier {
    enum Unit: Sendable { case words, sentences, tokens, characters, bullets }
    let unit: Unit
    let range: ClosedRange<Double>
    let tools: IFEvalTools
    init(_ a: ConstraintArgs, unit: Unit, tools: IFEvalTools) throws {
        self.unit = unit
        range = try a.bounds()
        self.tools = tools
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool {
        let n: Int
        switch unit {
        case .words: n = IFEvalWords.count(r)
        case .sentences: n = tools.punkt.countSentences(r)
        case .tokens: n = tools.words.tokenize(r).count
        case .characters: n = r.count
        case .bullets: n = IFEvalPatterns.bulletCount(r)
        }
        return range.contains(Double(n))
    }
}

/// Literal occurrence counting, optionally case-insensitive (simple case folding) and on whole words only.
struct LiteralMatcher: Sendable {
    let needle: PyText
    let caseSensitive: Bool
    let wholeWord: Bool
    init(_ s: String, caseSensitive: Bool, wholeWord: Bool) {
        let t = PyText(py: s)
        needle = caseSensitive ? t : t.caseFolded
        self.caseSensitive = caseSensitive
        self.wholeWord = wholeWord
    }
    /// Non-overlapping occurrences (an empty needle never counts).
    func count(in r: PyText) -> Int {
        guard !needle.isEmpty else { return 0 }
        let hay = caseSensitive ? r : r.caseFolded
        var n = 0, i = 0
        while let at = hay.pyFind(needle, from: i) {
            let end = at + needle.count
            if !wholeWord || (IFEvalKeywordPattern.isBoundary(r, at) && IFEvalKeywordPattern.isBoundary(r, end)) {
                n += 1; i = end
            } else {
                i = at + 1
            }
        }
        return n
    }
}

/// keywords_include: every keyword occurs at least `min_count` (default 1) times.
struct KeywordsInclude: ResponseVerifier {
    let matchers: [LiteralMatcher]
    let minCount: Int
    init(_ a: ConstraintArgs) throws {
        let cs = try a.bool("case_sensitive", default: false), ww = try a.bool("whole_word", default: false)
        matchers = try a.strings("keywords").map { LiteralMatcher($0, caseSensitive: cs, wholeWord: ww) }
        minCount = try a.int("min_count", default: 1, in: 0...1_000_000)
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool { matchers.allSatisfy { $0.count(in: r) >= minCount } }
}

/// keywords_exclude: no keyword occurs (whole words by default).
struct KeywordsExclude: ResponseVerifier {
    let matchers: [LiteralMatcher]
    init(_ a: ConstraintArgs) throws {
        let cs = try a.bool("case_sensitive", default: false), ww = try a.bool("whole_word", default: true)
        matchers = try a.strings("keywords").map { LiteralMatcher($0, caseSensitive: cs, wholeWord: ww) }
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool { matchers.allSatisfy { $0.count(in: r) == 0 } }
}

/// keyword_frequency: occurrences of one keyword within [min, max].
struct KeywordFrequency: ResponseVerifier {
    let matcher: LiteralMatcher
    let range: ClosedRange<Double>
    init(_ a: ConstraintArgs) throws {
        matcher = LiteralMatcher(try a.string("keyword"), caseSensitive: try a.bool("case_sensitive", default: false),
                                 wholeWord: try a.bool("whole_word", default: false))
        range = try a.bounds()
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool { range.contains(Double(matcher.count(in: r))) }
}

/// regex: the ICU pattern is found (`"match": "search"`, default) or matches the whole response (`"full"`);
/// `"negate": true` inverts.
struct RegexVerifier: ResponseVerifier, @unchecked Sendable {
    // NSRegularExpression is immutable and thread-safe.
    let regex: NSRegularExpression
    let full: Bool
    let negate: Bool
    init(_ a: ConstraintArgs) throws {
        let pattern = try a.string("pattern")
        do { regex = try NSRegularExpression(pattern: pattern) } catch { throw a.error("'pattern' does not compile: \(error)") }
        let mode = try a.optionalString("match", default: "search")
        guard mode == "search" || mode == "full" else { throw a.error("'match' must be \"search\" or \"full\"") }
        full = mode == "full"
        negate = try a.bool("negate", default: false)
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool {
        let s = r.string
        let all = NSRange(s.startIndex..., in: s)
        let hit = full ? regex.firstMatch(in: s, options: [.anchored], range: all).map { $0.range == all } ?? false
                       : regex.firstMatch(in: s, range: all) != nil
        return hit != negate
    }
}

/// json: the response (optionally inside one ``` fence) is JSON; with `schema`, it also satisfies the schema.
struct JSONVerifier: ResponseVerifier {
    let schema: JSONSchemaSubset?
    init(_ a: ConstraintArgs) throws {
        schema = try a.values["schema"].map { try JSONSchemaSubset($0, onError: { a.error("'schema' must be \($0)") }) }
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool {
        var s = r.pyStrip()
        for p in JsonFormat.prefixes where s.pyHasPrefix(p) { s.removeFirst(p.count); break }
        if s.pyHasSuffix(JsonFormat.fence) { s.removeLast(JsonFormat.fence.count) }
        guard let value = JSONValue.parse(s.pyStrip().string) else { return false }
        return schema?.accepts(value) ?? true
    }
}

/// section_count: headers "<splitter> <number>" (IFEval's section rule, literal splitter) within [min, max].
struct SectionCount: ResponseVerifier {
    let splitter: PyText
    let range: ClosedRange<Double>
    init(_ a: ConstraintArgs) throws {
        splitter = PyText(py: try a.string("splitter"))
        guard !splitter.isEmpty else { throw a.error("'splitter' must not be empty") }
        range = try a.bounds()
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool {
        range.contains(Double(IFEvalPatterns.sectionCount(r, splitter: splitter)))
    }
}

/// case: "upper" or "lower" as Python's isupper()/islower() (at least one cased letter, none of the other case).
struct CaseVerifier: ResponseVerifier {
    let upper: Bool
    init(_ a: ConstraintArgs) throws {
        switch try a.string("case") {
        case "upper": upper = true
        case "lower": upper = false
        default: throw a.error("'case' must be \"upper\" or \"lower\"")
        }
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool { upper ? r.pyIsUpper : r.pyIsLower }
}

/// language: the detected language (langdetect's profiles and algorithm) equals `language`; a text without any
/// language feature does not satisfy it (unlike IFEval, which counts that as followed).
struct LanguageVerifier: ResponseVerifier {
    let language: String
    let tools: IFEvalTools
    init(_ a: ConstraintArgs, tools: IFEvalTools) throws {
        language = try a.string("language")
        guard tools.language.profiles.languages.contains(language) else {
            throw a.error("'language' must be one of \(tools.language.profiles.languages.joined(separator: " "))")
        }
        self.tools = tools
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool { (try? tools.language.detect(r)) == language }
}

/// label_set: the stripped response is one of `labels` (or, with `multi`, a `separator`-separated non-empty list
/// of labels); case-insensitive unless `case_sensitive`.
struct LabelSet: ResponseVerifier {
    let labels: Set<PyText>
    let multi: Bool
    let separator: PyText
    let caseSensitive: Bool
    init(_ a: ConstraintArgs) throws {
        caseSensitive = try a.bool("case_sensitive", default: false)
        let fold = caseSensitive
        labels = Set(try a.strings("labels").map { let t = PyText(py: $0).pyStrip(); return fold ? t : t.caseFolded })
        multi = try a.bool("multi", default: false)
        separator = PyText(py: try a.optionalString("separator", default: ","))
        guard !separator.isEmpty else { throw a.error("'separator' must not be empty") }
    }
    func isSatisfied(_ r: PyText, input: PyText) -> Bool {
        LabelSet.items(r, multi: multi, separator: separator, fold: !caseSensitive).map { items in
            items.allSatisfy(labels.contains)
        } ?? false
    }
    /// The response's labels (stripped, optionally folded); nil if there are none or one is blank.
    static func items(_ r: PyText, multi: Bool, separator: PyText, fold: Bool) -> [PyText]? {
        let pieces = multi ? r.pySplit(separator) : [r]
        let items = pieces.map { p -> PyText in let t = p.pyStrip(); return fold ? t.caseFolded : t }
        return items.isEmpty || items.contains(where: \.isEmpty) ? nil : items
    }
}
