// TreebankWordTokenizer: NLTK's `word_tokenize` — Punkt sentences, then the improved Treebank word rules.
//
// Port of nltk 3.10.4 `nltk/tokenize/destructive.py` `NLTKWordTokenizer.tokenize` (convert_parentheses=False)
// and `nltk/tokenize/__init__.py` `word_tokenize(text, "english", preserve_line=False)`: the same ordered list of
// regex substitutions (starting quotes, punctuation, brackets, double dashes, ending quotes, MacIntyre
// contractions), then a whitespace split. The rules run on ICU regular expressions (NSRegularExpression); ICU's
// `\w`, `\s` and `\b` are Unicode-aware like Python's, differing only at rare code points (ICU counts combining
// marks and U+200C/U+200D as word characters). IFEval uses it only to count all-uppercase tokens.
import Foundation

/// `nltk.word_tokenize` for English.
public struct TreebankWordTokenizer: @unchecked Sendable {
    // NSRegularExpression is immutable and documented thread-safe; hence @unchecked Sendable.
    private let rules: [(NSRegularExpression, String)]
    private let ending: [(NSRegularExpression, String)]
    private let punkt: PunktSentenceTokenizer

    /// A tokenizer that splits sentences with `punkt` first.
    public init(punkt: PunktSentenceTokenizer) throws {
        self.punkt = punkt
        rules = try TreebankWordTokenizer.compile(TreebankWordTokenizer.ruleTable)
        ending = try TreebankWordTokenizer.compile(TreebankWordTokenizer.endingTable)
    }

    private static func compile(_ table: [(String, String)]) throws -> [(NSRegularExpression, String)] {
        try table.map { pattern, template in
            do { return (try NSRegularExpression(pattern: pattern), template) } catch {
                throw AlignEvalError.badResource(name: "treebank rule \(pattern)", reason: "\(error)")
            }
        }
    }

    /// The substitutions in nltk's order, as (ICU pattern, ICU template); `\1` became `$1`, `\g<0>` became `$0`.
    static let ruleTable: [(String, String)] = [
        // STARTING_QUOTES
        ("([«“‘„]|[`]+)", " $1 "),
        ("^\\\"", "``"),
        ("(``)", " $1 "),
        ("([ \\(\\[{<])(\\\"|\\'{2})", "$1 `` "),
        ("(?i)(?<!\\w)(\\')(?!(?:re|ve|ll|m|t|s|d|n)\\b)(?=\\w)", "$1 "),
        // PUNCTUATION
        ("([^\\.])(\\.)([\\]\\)}>\"\\'»”’ ]*+)\\s*$", "$1 $2 $3 "),
        ("([:,])([^\\d])", " $1 $2"),
        ("([:,])$", " $1 "),
        ("\\.{2,}", " $0 "),
        ("[;@#$%&]", " $0 "),
        ("[\\u2012-\\u2015]", " $0 "),
        ("([^\\.])(\\.)([\\]\\)}>\"\\']*)\\s*$", "$1 $2$3 "),
        ("[?!]", " $0 "),
        ("([^'])' ", "$1 ' "),
        ("[*]", " $0 "),
        // PARENS_BRACKETS, DOUBLE_DASHES
        ("[\\]\\[\\(\\)\\{\\}\\<\\>]", " $0 "),
        ("--", " -- "),
    ]

    static let endingTable: [(String, String)] = [
        ("([»”’])", " $1 "),
        ("''", " '' "),
        ("\"", " '' "),
        ("\\s+", " "),
        ("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 "),
        ("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 "),
        // MacIntyre CONTRACTIONS2 and CONTRACTIONS3, each replaced by " \1 \2 "
        ("(?i)\\b(can)(?#X)(not)\\b", " $1 $2 "),
        ("(?i)\\b(d)(?#X)('ye)\\b", " $1 $2 "),
        ("(?i)\\b(gim)(?#X)(me)\\b", " $1 $2 "),
        ("(?i)\\b(gon)(?#X)(na)\\b", " $1 $2 "),
        ("(?i)\\b(got)(?#X)(ta)\\b", " $1 $2 "),
        ("(?i)\\b(lem)(?#X)(me)\\b", " $1 $2 "),
        ("(?i)\\b(more)(?#X)('n)\\b", " $1 $2 "),
        ("(?i)\\b(wan)(?#X)(na)(?=\\s)", " $1 $2 "),
        ("(?i) ('t)(?#X)(is)\\b", " $1 $2 "),
        ("(?i) ('t)(?#X)(was)\\b", " $1 $2 "),
    ]

    private static func apply(_ rules: [(NSRegularExpression, String)], _ text: String) -> String {
        var s = text
        for (re, template) in rules {
            s = re.stringByReplacingMatches(
                in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
        }
        return s
    }

    /// `NLTKWordTokenizer().tokenize(sentence)`.
    public func tokenizeSentence(_ sentence: String) -> [String] {
        var s = TreebankWordTokenizer.apply(rules, sentence)
        s = " " + s + " "
        s = TreebankWordTokenizer.apply(ending, s)
        return PyText(py: s).pySplitWhitespace().map(\.string)
    }

    /// `nltk.word_tokenize(text)`: Punkt sentences, each tokenized.
    public func tokenize(_ text: PyText) -> [String] {
        punkt.spans(text).flatMap { tokenizeSentence(Array(text[$0]).string) }
    }
}
