// RegexReward: 1 if the completion matches a regular expression (ICU syntax through Foundation's
// NSRegularExpression), else 0 — anywhere in the text (`search`, Python's re.search) or the whole
// text (`fullMatch`, re.fullmatch). A pattern that does not compile is a typed error at construction.

import Foundation

/// 1 if the pattern matches the completion, else 0.
public struct RegexReward: Reward {
    /// Where the pattern must match.
    public enum Mode: String, Codable, Sendable {
        /// Anywhere in the completion.
        case search
        /// The whole completion.
        case fullMatch
    }

    /// The pattern as given.
    public let pattern: String
    /// Search or full match.
    public let mode: Mode
    private let regex: NSRegularExpression

    /// - Throws: `invalidReward` naming the pattern if it does not compile.
    public init(pattern: String, mode: Mode = .search) throws {
        do {
            regex = try NSRegularExpression(pattern: mode == .fullMatch ? "\\A(?:\(pattern))\\z" : pattern)
        } catch {
            throw AlignDecodingError.invalidReward(reason: "regex '\(pattern)' does not compile: \(error)")
        }
        self.pattern = pattern
        self.mode = mode
    }

    public func score(prompt: String, completion: String) -> Double {
        let range = NSRange(completion.startIndex..<completion.endIndex, in: completion)
        return regex.firstMatch(in: completion, range: range) == nil ? 0 : 1
    }
}
