// RankedExample: a listwise row `{prompt, completions, scores | ranks}` for PRO and LiPO-λ, and its
// tokenization. TRL has no listwise trainer, so the conventions are ours, chosen to match TRL's unpaired
// ones: each `prompt + completions[k]` is tokenized exactly as KTOTrainer tokenizes `prompt + completion`
// (text: EOS appended unless present, common-prefix boundary; conversational: the chat template), with
// `max_length` dropping lists whose prompt alone fills it and cutting each sequence to its first max_length
// tokens. Relevance: `scores` (higher = better, e.g. reward-model scores) or `ranks` (1 = best), turned into
// scores ψ = K − rank so both read the same way downstream. Every list must have the same K (≥ 2), so a
// batch is a dense [B, K] block; a row that differs is an error naming it.
import AlignTokenizers
import Foundation

/// One ranked row: K completions of a prompt with their relevance.
public struct RankedExample: Equatable, Sendable {
    public var location: RowLocation
    public var prompt: TurnContent
    public var completions: [TurnContent]
    /// Relevance per completion, higher = better (from `scores`, or K − rank from `ranks`).
    public var scores: [Double]

    /// Loads `{prompt, completions, scores | ranks}` rows; all lists must have one length K ≥ 2.
    public static func load(_ url: URL) throws -> [RankedExample] {
        var k: Int?
        return try DatasetFile.rows(of: url).map { raw in
            let row = RowColumns(row: raw)
            let prompt = try row.content("prompt", allowEmpty: true)
            guard case .array(let items)? = row.value("completions") else { throw row.fail("column 'completions' must be a list") }
            let completions = try items.enumerated().map { i, item -> TurnContent in
                switch item {
                case .string(let s) where !s.isEmpty: return .text(s)
                case .array(let m) where !m.isEmpty:
                    for (j, msg) in m.enumerated() { try row.checkMessage(msg, key: "completions[\(i)]", index: j) }
                    return .messages(m)
                default: throw row.fail("completions[\(i)] must be a non-empty string or message list")
                }
            }
            guard completions.count >= 2 else { throw row.fail("'completions' needs at least 2 entries, found \(completions.count)") }
            if let k, completions.count != k { throw row.fail("'completions' has \(completions.count) entries; earlier rows have \(k)") }
            k = completions.count
            if completions.contains(where: { $0.isConversational != prompt.isConversational }) {
                throw row.fail("'prompt' and 'completions' must all be text or all be message lists")
            }
            let scores = try relevance(row, count: completions.count)
            return RankedExample(location: raw.location, prompt: prompt, completions: completions, scores: scores)
        }
    }

    /// `scores` as given, or `ranks` (1 = best) as K − rank.
    static func relevance(_ row: RowColumns, count k: Int) throws -> [Double] {
        let key = row.has("scores") ? "scores" : "ranks"
        guard case .array(let items)? = row.value(key) else { throw row.fail("needs a list column 'scores' or 'ranks'") }
        let values = try items.map { v -> Double in
            switch v {
            case .int(let n): return Double(n)
            case .double(let d) where d.isFinite: return d
            default: throw row.fail("'\(key)' must hold finite numbers, found \(DatasetFile.kind(v))")
            }
        }
        guard values.count == k else { throw row.fail("'\(key)' has \(values.count) entries for \(k) completions") }
        if key == "ranks" {
            guard values.allSatisfy({ $0 >= 1 && $0 <= Double(k) && $0 == $0.rounded() }) else {
                throw row.fail("'ranks' must be integers from 1 (best) to \(k)")
            }
            return values.map { Double(k) - $0 }
        }
        return values
    }
}

/// One tokenized ranked row.
public struct TokenizedRanked: Codable, Sendable, Equatable {
    public var prompt: [Int32]
    /// [K] completion ids (each cut so prompt + completion ≤ max_length).
    public var completions: [[Int32]]
    /// [K] relevance, higher = better.
    public var scores: [Double]

    /// Creates a row.
    public init(prompt: [Int32], completions: [[Int32]], scores: [Double]) {
        self.prompt = prompt
        self.completions = completions
        self.scores = scores
    }
}

/// The result of tokenizing a ranked dataset: the rows kept and the rows dropped by length.
public struct TokenizedRankedDataset: Sendable {
    public var examples: [TokenizedRanked]
    public var droppedByLength: [RowLocation]
}

extension PreferenceTokenizer {
    /// Tokenizes ranked rows; each `prompt + completion` as `tokenizeUnpaired` does.
    public func tokenizeRanked(_ examples: [RankedExample], maxLength: Int?) throws -> TokenizedRankedDataset {
        if let n = maxLength, n < 1 { throw AlignDataError.invalidSetting(name: "max_length", value: "\(n)", expected: "≥ 1 or none") }
        var kept: [TokenizedRanked] = [], dropped: [RowLocation] = []
        for ex in examples {
            var parts = try ex.completions.map {
                try tokenizeUnpaired(UnpairedExample(location: ex.location, prompt: ex.prompt, completion: $0, label: true))
            }
            // The shortest common prefix over all K sequences is the shared prompt.
            let p = parts.map(\.prompt.count).min() ?? 0
            if let n = maxLength, p >= n { dropped.append(ex.location); continue }
            if let n = maxLength { parts = parts.map { $0.truncated(maxLength: n) } }
            let prompt = Array(parts[0].prompt.prefix(p))
            let completions = parts.map { Array($0.prompt.dropFirst(p)) + $0.completion }  // already ≤ max_length in all
            kept.append(TokenizedRanked(prompt: prompt, completions: completions, scores: ex.scores))
        }
        return TokenizedRankedDataset(examples: kept, droppedByLength: dropped)
    }
}
