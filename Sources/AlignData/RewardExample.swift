// RewardExample: a row of a reward-model dataset and its tokenization as TRL 1.16's RewardTrainer
// prepares it (trl/trainer/reward_trainer.py `_prepare_dataset`), which differs from DPO's:
//  * no prompt/completion split — with an explicit `prompt` each side is `prompt + chosen` (string or
//    message-list concatenation), without one `chosen` / `rejected` are used whole (no extract_prompt);
//  * text rows get EOS appended to `chosen` and `rejected` unless they already end with it (`add_eos`),
//    conversational rows none; text is tokenized with the tokenizer's special tokens (`tokenizer(text=…)`),
//    conversations through the chat template without a generation prompt and then without special tokens
//    (`apply_chat_template(tokenize=True)`);
//  * with max_length, pairs where either side is longer are dropped (counted), never truncated;
//  * an optional numeric `margin` column is carried to the loss (DataCollatorForPreference).
// The layout (text or conversational, with or without prompt and margin) is decided by the first row,
// as a Hugging Face dataset has one schema; a row that differs is an error naming it.
import AlignTokenizers
import Foundation

/// One paired row for reward modelling.
public struct RewardExample: Equatable, Sendable {
    public var location: RowLocation
    /// The explicit prompt, or nil when the dataset has none (implicit prompt: used whole).
    public var prompt: TurnContent?
    public var chosen: TurnContent
    public var rejected: TurnContent
    /// The `margin` column (nil when the dataset has none).
    public var margin: Double?

    /// Creates a row (`prompt` nil: the dataset has no prompt column).
    public init(location: RowLocation, prompt: TurnContent?, chosen: TurnContent, rejected: TurnContent, margin: Double? = nil) {
        self.location = location
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.margin = margin
    }

    /// Loads a preference file for reward modelling (JSON array or JSONL).
    public static func load(_ url: URL) throws -> [RewardExample] {
        let rows = try DatasetFile.rows(of: url).map(RowColumns.init)
        guard let first = rows.first else { throw AlignDataError.empty(file: url.path) }
        let head = try parse(first)
        return try rows.map { row in
            let ex = row.location == first.location ? head : try parse(row)
            if row.has("prompt") != first.has("prompt") || row.has("margin") != first.has("margin") {
                throw row.fail("columns differ from the first row's (prompt: \(first.has("prompt")), margin: \(first.has("margin")))")
            }
            if ex.chosen.isConversational != head.chosen.isConversational {
                throw row.fail("\(ex.chosen.isConversational ? "conversational" : "text") row in a \(head.chosen.isConversational ? "conversational" : "text") dataset (the first row decides)")
            }
            return ex
        }
    }

    static func parse(_ row: RowColumns) throws -> RewardExample {
        let chosen = try row.content("chosen"), rejected = try row.content("rejected")
        guard chosen.isConversational == rejected.isConversational else {
            throw row.fail("'chosen' and 'rejected' must both be text or both be message lists")
        }
        var prompt: TurnContent?
        if row.has("prompt") {
            let p = try row.content("prompt", allowEmpty: true)
            guard p.isConversational == chosen.isConversational else {
                throw row.fail("'prompt' must be \(chosen.isConversational ? "a message list" : "text") like 'chosen'")
            }
            prompt = p
        }
        var margin: Double?
        if let v = row.value("margin") {
            switch v {
            case .int(let i): margin = Double(i)
            case .double(let d) where d.isFinite: margin = d
            default: throw row.fail("column 'margin' must be a finite number, found \(DatasetFile.kind(v))")
            }
        }
        return RewardExample(location: row.location, prompt: prompt, chosen: chosen, rejected: rejected, margin: margin)
    }
}

/// One tokenized reward pair: the whole chosen and rejected sequences, and the margin.
public struct TokenizedRewardPair: Codable, Sendable, Equatable {
    public var chosen: [Int32]
    public var rejected: [Int32]
    public var margin: Double?

    /// Creates a pair.
    public init(chosen: [Int32], rejected: [Int32], margin: Double? = nil) {
        self.chosen = chosen
        self.rejected = rejected
        self.margin = margin
    }
}

/// A tokenized reward dataset: the pairs kept and the rows dropped by max_length.
public struct TokenizedRewardDataset: Sendable {
    public var examples: [TokenizedRewardPair]
    public var droppedByLength: [RowLocation]
}

extension PreferenceTokenizer {
    /// Tokenizes reward rows as TRL's RewardTrainer does; with `maxLength` (TRL's default 1024), pairs
    /// with a side longer than it are dropped and reported.
    public func tokenizeForReward(_ examples: [RewardExample], maxLength: Int?) throws -> TokenizedRewardDataset {
        if let n = maxLength, n < 1 { throw AlignDataError.invalidSetting(name: "max_length", value: "\(n)", expected: "≥ 1 or none") }
        var kept: [TokenizedRewardPair] = [], dropped: [RowLocation] = []
        for ex in examples {
            let pair = try tokenizeForReward(ex)
            if let n = maxLength, pair.chosen.count > n || pair.rejected.count > n {
                dropped.append(ex.location)
            } else {
                kept.append(pair)
            }
        }
        return TokenizedRewardDataset(examples: kept, droppedByLength: dropped)
    }

    /// Tokenizes one reward row without the length filter.
    public func tokenizeForReward(_ ex: RewardExample) throws -> TokenizedRewardPair {
        func side(_ completion: TurnContent) throws -> [Int32] {
            switch (ex.prompt, completion) {
            case let (.text(p)?, .text(c)): return encode(p + withEOS(c)).map(Int32.init)
            case let (nil, .text(c)): return encode(withEOS(c)).map(Int32.init)
            case let (.messages(p)?, .messages(c)): return try render(p + c, generationPrompt: false, at: ex.location).map(Int32.init)
            case let (nil, .messages(c)): return try render(c, generationPrompt: false, at: ex.location).map(Int32.init)
            default:
                throw AlignDataError.malformedRow(ex.location, reason: "prompt, chosen and rejected must all be text or all be message lists")
            }
        }
        return TokenizedRewardPair(chosen: try side(ex.chosen), rejected: try side(ex.rejected), margin: ex.margin)
    }
}
