// LengthReward: a length-range constraint (DeAL's XSUM length heuristic; IFEval's
// "length_constraints" verifiers count words the same way): 1 when the completion's length lies in
// [min, max], else 0. Words are maximal runs of non-whitespace; characters are Unicode characters.

/// 1 if the completion's length is within the range, else 0.
public struct LengthReward: Reward {
    /// What is counted.
    public enum Unit: String, Codable, Sendable {
        /// Whitespace-separated words.
        case words
        /// Characters (extended grapheme clusters).
        case characters
    }

    /// Inclusive bounds.
    public let range: ClosedRange<Int>
    /// Words or characters.
    public let unit: Unit

    /// - Throws: `invalidReward` if the lower bound is negative.
    public init(range: ClosedRange<Int>, unit: Unit = .words) throws {
        guard range.lowerBound >= 0 else {
            throw AlignDecodingError.invalidReward(reason: "length range \(range) has a negative lower bound")
        }
        self.range = range
        self.unit = unit
    }

    /// The completion's length in `unit`.
    public func length(of text: String) -> Int {
        switch unit {
        case .words: return text.split(whereSeparator: { $0.isWhitespace }).count
        case .characters: return text.count
        }
    }

    public func score(prompt: String, completion: String) -> Double {
        range.contains(length(of: completion)) ? 1 : 0
    }
}
