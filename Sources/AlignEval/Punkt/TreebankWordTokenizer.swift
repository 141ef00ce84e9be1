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
    private let rules: [Rule]
    private let ending: [Rule]

    struct Rule {
        let regex: NSRegularExpression
        let template: String
        let trigger: Trigger
    }
    private let punkt: PunktSentenceTokenizer

    /// A tokenizer that splits sentences with `punkt` first.
    public init(punkt: PunktSentenceTokenizer) throws {
        self.punkt = punkt
        rules = try TreebankWordTokenizer.compile(TreebankWordTokenizer.ruleTable)
        ending = try TreebankWordTokenizer.compile(TreebankWordTokenizer.endingTable)
    }

    private static func compile(_ table: [(String, String, Trigger)]) throws -> [Rule] {
        try table.map { pattern, template, trigger in
            do { return Rule(regex: try NSRegularExpression(pattern: pattern), template: template, trigger: trigger) } catch {
                throw AlignEvalError.badResource(name: "treebank rule \(pattern)", reason: "\(error)")
            }
        }
    }

    /// When a rule can match at all: always, if the text holds one of these characters, or if the lowercased
    /// text holds this substring. Skipping rules that cannot match changes nothing and saves most regex passes.
    enum Trigger: Sendable {
        case always
        case anyOf(String)
        case substring(String)
    }

    /// The substitutions in nltk's order, as (ICU pattern, ICU template, trigger); `\1` became `$1`, `\g<0>` `$0`.
    static let ruleTable: [(String, String, Trigger)] = [
        // STARTING_QUOTES
        ("([«“‘„]|[`]+)", " $1 ", .anyOf("«“‘„`")),
        ("^\\\"", "``", .anyOf("\"")),
        ("(``)", " $1 ", .anyOf("`")),
        ("([ \\(\\[{<])(\\\"|\\'{2})", "$1 `` ", .anyOf("\"'")),
        ("(?i)(?<!\\w)(\\')(?!(?:re|ve|ll|m|t|s|d|n)\\b)(?=\\w)", "$1 ", .anyOf("'")),
        // PUNCTUATION
        ("([^\\.])(\\.)([\\]\\)}>\"\\'»”’ ]*+)\\s*$", "$1 $2 $3 ", .anyOf(".")),
        ("([:,])([^\\d])", " $1 $2", .anyOf(":,")),
        ("([:,])$", " $1 ", .anyOf(":,")),
        ("\\.{2,}", " $0 ", .anyOf(".")),
        ("[;@#$%&]", " $0 ", .anyOf(";@#$%&")),
        ("[\\u2012-\\u2015]", " $0 ", .anyOf("\u{2012}\u{2013}\u{2014}\u{2015}")),
        ("([^\\.])(\\.)([\\]\\)}>\"\\']*)\\s*$", "$1 $2$3 ", .anyOf(".")),
        ("[?!]", " $0 ", .anyOf("?!")),
        ("([^'])' ", "$1 ' ", .anyOf("'")),
        ("[*]", " $0 ", .anyOf("*")),
        // PARENS_BRACKETS, DOUBLE_DASHES
        ("[\\]\\[\\(\\)\\{\\}\\<\\>]", " $0 ", .anyOf("[](){}<>")),
        ("--", " -- ", .anyOf("-")),
    ]

    static let endingTable: [(String, String, Trigger)] = [
        ("([»”’])", " $1 ", .anyOf("»”’")),
        ("''", " '' ", .anyOf("'")),
        ("\"", " '' ", .anyOf("\"")),
        ("\\s+", " ", .always),
        ("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 ", .anyOf("'")),
        ("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 ", .anyOf("'")),
        // MacIntyre CONTRACTIONS2 and CONTRACTIONS3, each replaced by " \1 \2 "
        ("(?i)\\b(can)(?#X)(not)\\b", " $1 $2 ", .substring("cannot")),
        ("(?i)\\b(d)(?#X)('ye)\\b", " $1 $2 ", .substring("d'ye")),
        ("(?i)\\b(gim)(?#X)(me)\\b", " $1 $2 ", .substring("gimme")),
        ("(?i)\\b(gon)(?#X)(na)\\b", " $1 $2 ", .substring("gonna")),
        ("(?i)\\b(got)(?#X)(ta)\\b", " $1 $2 ", .substring("gotta")),
        ("(?i)\\b(lem)(?#X)(me)\\b", " $1 $2 ", .substring("lemme")),
        ("(?i)\\b(more)(?#X)('n)\\b", " $1 $2 ", .substring("more'n")),
        ("(?i)\\b(wan)(?#X)(na)(?=\\s)", " $1 $2 ", .substring("wanna")),
        ("(?i) ('t)(?#X)(is)\\b", " $1 $2 ", .substring("'tis")),
        ("(?i) ('t)(?#X)(was)\\b", " $1 $2 ", .substring("'twas")),
    ]

    private static func apply(_ rules: [Rule], _ text: String) -> String {
        var s = text
        for rule in rules {
            switch rule.trigger {
            case .always: break
            case let .anyOf(chars): if !s.unicodeScalars.contains(where: { chars.unicodeScalars.contains($0) }) { continue }
            // (?i) matching of ASCII words: a lowercased copy is a pre-test (exact except for the long s "ſ",
            // which ICU folds to "s"; a "'tiſ" would be left unsplit).
            case let .substring(word): if !s.lowercased().contains(word) { continue }
            }
            s = rule.regex.stringByReplacingMatches(
                in: s, range: NSRange(s.startIndex..., in: s), withTemplate: rule.template)
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
