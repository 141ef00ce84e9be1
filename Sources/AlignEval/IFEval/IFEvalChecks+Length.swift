// IFEval checks on length and content (reference classes NumberOfSentences, ParagraphChecker, NumberOfWords,
// ParagraphFirstWordCheck, PlaceholderChecker, PostscriptChecker in google-research instructions.py).

/// length_constraints:number_sentences — Punkt English sentence count compared by `relation`.
struct NumberOfSentences: IFEvalCheck {
    let threshold: Int
    let relation: IFEvalRelation
    init(_ k: IFEvalKwargs) throws {
        threshold = try k.count("num_sentences")
        relation = try k.relation("relation")
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        relation.holds(tools.punkt.countSentences(v), threshold)
    }
}

/// length_constraints:number_paragraphs — pieces split on `\s?***\s?` equal N; blank pieces are allowed only
/// first or last (and are not counted).
struct ParagraphChecker: IFEvalCheck {
    let paragraphs: Int
    init(_ k: IFEvalKwargs) throws { paragraphs = try k.count("num_paragraphs") }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        let pieces = IFEvalPatterns.splitOnStarDivider(v)
        var n = pieces.count
        for (i, p) in pieces.enumerated() where p.pyStrip().isEmpty {
            if i == 0 || i == pieces.count - 1 { n -= 1 } else { return false }
        }
        return n == paragraphs
    }
}

/// length_constraints:number_words — count of `\w+` runs (nltk RegexpTokenizer(r"\w+")) compared by `relation`.
struct NumberOfWords: IFEvalCheck {
    let threshold: Int
    let relation: IFEvalRelation
    init(_ k: IFEvalKwargs) throws {
        threshold = try k.count("num_words")
        relation = try k.relation("relation")
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool { relation.holds(IFEvalWords.count(v), threshold) }
}

/// Word counting as the reference's `count_words`.
public enum IFEvalWords {
    /// `len(RegexpTokenizer(r"\w+").tokenize(text))`: maximal runs of word characters. nltk 3.10.4 (pinned)
    /// compiles the pattern with the `regex` module, whose `\w` includes combining marks, so "हिंदी" is one word;
    /// nltk ≤ 3.9 used `re`, which splits it at its vowel signs. The two gave identical IFEval verdicts on the
    /// GPT-4 reference file; we follow the pinned version.
    public static func count(_ t: PyText) -> Int {
        var n = 0
        var inWord = false
        for c in t {
            let w = PyChar.isRegexWord(c)
            if w && !inWord { n += 1 }
            inWord = w
        }
        return n
    }
}

/// length_constraints:nth_paragraph_first_word — paragraphs split on "\n\n"; the non-blank count must equal N and
/// the nth raw piece's first word (quotes stripped, cut at . , ? ! ' ", lowercased) must equal `first_word`.
struct ParagraphFirstWordCheck: IFEvalCheck {
    let paragraphs: Int
    let nth: Int
    let firstWord: PyText
    init(_ k: IFEvalKwargs) throws {
        paragraphs = try k.count("num_paragraphs")
        nth = try k.count("nth_paragraph")
        guard nth >= 1, nth <= paragraphs else { throw k.error("nth_paragraph", "between 1 and num_paragraphs") }
        firstWord = PyText(py: try k.string("first_word")).pyLower()
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        let pieces = v.pySplit(["\n", "\n"])
        let count = pieces.filter { !$0.pyStrip().isEmpty }.count
        // The reference indexes the raw pieces (blank ones included) by the non-blank count: a quirk we keep.
        guard nth <= count else { return false }
        let paragraph = pieces[nth - 1].pyStrip()
        guard let first = paragraph.pySplitWhitespace().first else { return false }
        let word = first.pyStrip().pyStrip(["'"], trailing: false).pyStrip(["\""], trailing: false)
        var lowered = PyText()
        for c in word {
            if ".,?!'\"".unicodeScalars.contains(c) { break }
            lowered.append(contentsOf: [c].pyLower())
        }
        return count == paragraphs && lowered == firstWord
    }
}

/// detectable_content:number_placeholders — at least N `[...]` placeholders.
struct PlaceholderChecker: IFEvalCheck {
    let minimum: Int
    init(_ k: IFEvalKwargs) throws { minimum = try k.count("num_placeholders") }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool { IFEvalPatterns.placeholderCount(v) >= minimum }
}

/// detectable_content:postscript — the lowercased response contains the marker ("p.s.", "p.p.s" with optional
/// single spaces, or any other marker literally) anywhere.
struct PostscriptChecker: IFEvalCheck {
    enum Marker: Sendable { case ps, pps, other(IFEvalKeywordPattern) }
    let marker: Marker
    init(_ k: IFEvalKwargs) throws {
        let m = try k.string("postscript_marker").trimmingPythonWhitespace()
        switch m {
        case "P.P.S": marker = .pps
        case "P.S.": marker = .ps
        default:
            // `\s*` + marker.lower() + `.*$`: a regex search; case already folded by lower().
            marker = .other(try IFEvalKeywordPattern(PyText(py: m).pyLower().string, wordBounded: false,
                                                     kwargs: k, name: "postscript_marker"))
        }
    }
    func isFollowed(by v: PyText, tools: IFEvalTools) -> Bool {
        let lower = v.pyLower()
        switch marker {
        case .pps: return IFEvalPatterns.hasPostscript(lower, doubleP: true)
        case .ps: return IFEvalPatterns.hasPostscript(lower, doubleP: false)
        case let .other(p): return p.found(in: lower, lowered: lower.caseFolded)
        }
    }
}

extension String {
    /// Python `str.strip()`.
    func trimmingPythonWhitespace() -> String { PyText(py: self).pyStrip().string }
}
