// TPOExample: a TPO triple `{prompt, chosen, rejected, reference}` (training-objectives.md §8, after TRL 1.16's
// experimental TPOTrainer): a paired preference row (PreferenceExample's rules: text or conversational, explicit or
// implicit prompt) plus `reference`, the gold completion. Without a `prompt` column the prompt is extracted from
// chosen/rejected and the reference must start with it (it is then removed, as TRL requires).
// Tokenization follows PreferenceTokenizer for the pair; the gold sequence is tokenized the same way (EOS appended
// to text, tok(prompt + gold), the completion starting at its common prefix with tok(prompt)) and truncated like
// the pair's sequences. TRL's own TPO tokenization was not compared token by token (no fixture).
import AlignTokenizers
import Foundation

/// One TPO row: a preference pair and its gold (reference) completion.
public struct TPOExample: Equatable, Sendable {
    public var pair: PreferenceExample
    /// The gold completion (without the prompt).
    public var reference: TurnContent

    /// Loads a TPO file: every row a paired preference row plus a `reference` column of the same kind.
    public static func load(_ url: URL) throws -> [TPOExample] {
        let pairs = try PreferenceExample.load(url)
        let rows = try DatasetFile.rows(of: url).map(RowColumns.init)
        return try zip(pairs, rows).map { pair, row in
            let gold = try row.content("reference")
            guard gold.isConversational == pair.isConversational else {
                throw row.fail("'reference' must be \(pair.isConversational ? "a message list" : "text") like 'chosen'")
            }
            if row.has("prompt") { return TPOExample(pair: pair, reference: gold) }
            switch (pair.prompt, gold) {
            case let (.text(p), .text(g)) where g.hasPrefix(p) && g.count > p.count:
                return TPOExample(pair: pair, reference: .text(String(g.dropFirst(p.count))))
            case let (.messages(p), .messages(g)) where g.count > p.count && Array(g.prefix(p.count)) == p:
                return TPOExample(pair: pair, reference: .messages(Array(g.dropFirst(p.count))))
            default:
                throw row.fail("without a 'prompt' column, 'reference' must start with the prompt shared by chosen and rejected and continue it")
            }
        }
    }
}

/// A tokenized TPO row.
public struct TokenizedTPO: Codable, Sendable, Equatable {
    public var pair: TokenizedPreference
    /// The gold sequence's prompt part and completion part.
    public var goldPrompt: [Int32]
    public var gold: [Int32]

    /// Creates a tokenized row.
    public init(pair: TokenizedPreference, goldPrompt: [Int32], gold: [Int32]) {
        self.pair = pair
        self.goldPrompt = goldPrompt
        self.gold = gold
    }
}

extension PreferenceTokenizer {
    /// Tokenizes TPO rows; with `maxLength`, rows whose prompt alone fills it are dropped (keep_start) and
    /// every sequence is truncated as the pair's (TokenizedPreference.truncated).
    public func tokenizeTPO(_ examples: [TPOExample], maxLength: Int?,
                            truncationMode: TruncationMode = .keepStart) throws -> (examples: [TokenizedTPO], droppedByLength: [RowLocation]) {
        if let n = maxLength, n < 1 { throw AlignDataError.invalidSetting(name: "max_length", value: "\(n)", expected: "≥ 1 or none") }
        var kept: [TokenizedTPO] = [], dropped: [RowLocation] = []
        for ex in examples {
            var pair = try tokenize(ex.pair)
            var (gp, g) = try tokenizeGold(ex)
            if let n = maxLength {
                if truncationMode == .keepStart && (pair.prompt.count >= n || gp.count >= n) { dropped.append(ex.pair.location); continue }
                pair = pair.truncated(maxLength: n, mode: truncationMode)
                (gp, g) = TokenizedPreference.cut(gp, g, n, truncationMode)
            }
            kept.append(TokenizedTPO(pair: pair, goldPrompt: gp, gold: g))
        }
        return (kept, dropped)
    }

    /// tok(prompt + gold) split at its common prefix with tok(prompt), as the pair's sequences are split.
    func tokenizeGold(_ ex: TPOExample) throws -> ([Int32], [Int32]) {
        let promptIDs: [Int], goldIDs: [Int]
        switch (ex.pair.prompt, ex.reference) {
        case let (.text(p), .text(g)):
            promptIDs = encode(p)
            goldIDs = encode(p + withEOS(g))
        case let (.messages(p), .messages(g)):
            promptIDs = try render(p, generationPrompt: true, at: ex.pair.location)
            goldIDs = try render(p + g, generationPrompt: false, at: ex.pair.location)
        default:
            throw AlignDataError.malformedRow(ex.pair.location, reason: "prompt and reference must both be text or both be message lists")
        }
        let n = Self.commonPrefixLength(promptIDs, goldIDs)
        return (goldIDs[..<n].map(Int32.init), goldIDs[n...].map(Int32.init))
    }
}
