// KeywordReward: keyword coverage, the programmatic heuristic DeAL uses for CommonGen-style keyword
// constraints (Huang et al., arXiv 2402.06147, §4: "soft coverage" = fraction of the keywords that
// appear). Inclusion scores the fraction present; exclusion scores the fraction absent, so both lie
// in [0, 1] and 1 means the constraint is fully met. Matching is by substring, optionally
// case-insensitive.

import Foundation

/// Fraction of keywords present (inclusion) or absent (exclusion) in the completion.
public struct KeywordReward: Reward {
    /// Whether the keywords must appear or must not.
    public enum Mode: String, Codable, Sendable {
        /// Score = fraction of keywords that appear.
        case include
        /// Score = fraction of keywords that do not appear.
        case exclude
    }

    /// The keywords (non-empty strings).
    public let keywords: [String]
    /// Inclusion or exclusion.
    public let mode: Mode
    /// Case-sensitive substring matching when true.
    public let caseSensitive: Bool

    /// - Throws: `invalidReward` if there are no keywords or one is empty.
    public init(keywords: [String], mode: Mode = .include, caseSensitive: Bool = false) throws {
        guard !keywords.isEmpty, !keywords.contains(where: \.isEmpty) else {
            throw AlignDecodingError.invalidReward(reason: "keyword reward needs non-empty keywords, got \(keywords)")
        }
        self.keywords = keywords
        self.mode = mode
        self.caseSensitive = caseSensitive
    }

    public func score(prompt: String, completion: String) -> Double {
        let text = caseSensitive ? completion : completion.lowercased()
        let present = keywords.filter { text.contains(caseSensitive ? $0 : $0.lowercased()) }.count
        let fraction = Double(present) / Double(keywords.count)
        return mode == .include ? fraction : 1 - fraction
    }
}
