// AnswerExtractor: turns a sampled reasoning path into its final answer, the parsing step of
// self-consistency (Wang et al., arXiv 2203.11171, §2: "parse the final answer a_i"). Two extractors:
//   - lastNumber: the last number in the text, normalised so equal values vote together — thousands
//     separators removed ("1,000" → "1000"), a leading "+" dropped, trailing fractional zeros and a
//     bare trailing point removed ("3.50" → "3.5", "4.0" → "4", "7." → "7"), "-0" → "0" (the usual
//     GSM8K answer normalisation);
//   - regex: the last match of a pattern; its first capture group if it has one, else the whole
//     match, trimmed of surrounding whitespace.
// A path with no answer yields nil and does not vote.

import Foundation

/// Extracts the final answer of a completion.
public struct AnswerExtractor {
    enum Kind {
        case lastNumber
        case regex(NSRegularExpression)
    }

    let kind: Kind
    /// A description for reports (`last-number` or `regex:PATTERN`).
    public let name: String

    /// The last number in the text.
    public static let lastNumber = AnswerExtractor(kind: .lastNumber, name: "last-number")

    /// The last match of `pattern` (ICU syntax), its first capture group if any.
    /// - Throws: `invalidParameter` naming the pattern if it does not compile.
    public static func regex(_ pattern: String) throws -> AnswerExtractor {
        do {
            return AnswerExtractor(kind: .regex(try NSRegularExpression(pattern: pattern)), name: "regex:\(pattern)")
        } catch {
            throw AlignDecodingError.invalidParameter(parameter: "answer_regex", value: pattern,
                                                      expected: "a regular expression that compiles (\(error))")
        }
    }

    /// The answer of `text`, or nil if it has none.
    public func extract(_ text: String) -> String? {
        switch kind {
        case .lastNumber:
            guard let match = AnswerExtractor.lastMatch(AnswerExtractor.number, in: text) else { return nil }
            return AnswerExtractor.normalizeNumber(match)
        case let .regex(regex):
            guard let match = AnswerExtractor.lastMatch(regex, in: text) else { return nil }
            return match.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    // A number: optional sign, digits with optional thousands commas, optional fraction.
    static let number: NSRegularExpression = {
        do { return try NSRegularExpression(pattern: "[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\\.[0-9]*)?|[-+]?\\.[0-9]+") }
        catch { preconditionFailure("the built-in number pattern compiles: \(error)") }
    }()

    /// The text of the last match (capture group 1 if the pattern has groups and it participated).
    static func lastMatch(_ regex: NSRegularExpression, in text: String) -> String? {
        let matches = regex.matches(in: text, range: NSRange(text.startIndex..<text.endIndex, in: text))
        guard let last = matches.last else { return nil }
        let range = regex.numberOfCaptureGroups > 0 && last.range(at: 1).location != NSNotFound ? last.range(at: 1) : last.range
        return Range(range, in: text).map { String(text[$0]) }
    }

    /// Canonical spelling of a number lexeme (see the header).
    static func normalizeNumber(_ lexeme: String) -> String {
        var s = lexeme.replacingOccurrences(of: ",", with: "")
        if s.hasPrefix("+") { s.removeFirst() }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s.hasPrefix("-.") || s.hasPrefix(".") { s = s.replacingOccurrences(of: ".", with: "0.") }
        if s.isEmpty || s == "-" || s == "-0" { return "0" }
        return s
    }
}
