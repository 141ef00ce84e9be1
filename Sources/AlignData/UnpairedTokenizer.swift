// Unpaired tokenization: KTOTrainer._prepare_dataset and DataCollatorForUnpairedPreference of TRL 1.16
// (trl/trainer/kto_trainer.py) in Swift, for `{prompt, completion, label}` rows (KTO, BCO).
//  1. Text rows: EOS is appended to the completion unless it already ends with it (`add_eos`);
//     conversational rows get none (the template ends the turn).
//  2. tok(prompt) and tok(prompt + completion) as DPO does (PreferenceTokenizer); the completion starts at
//     their common prefix (`common_prefix_length`), which differs from |tok(prompt)| when tokens merge.
//  3. With max_length, rows whose prompt alone is ≥ max_length are dropped (and counted).
//  4. KL completions (loss types that estimate the KL reference point): the kept rows are cut into chunks of
//     per_device_train_batch_size and the completions rotated by one inside each chunk, so row i gets the
//     completion of row i − 1 and the chunk's first row that of its last (`add_kl_completion_ids`).
//  5. The collator cuts each sequence prompt + completion (and prompt + KL completion) to its first max_length
//     tokens; the prompt is shorter than max_length after step 3, so only completions lose tokens.
// TRL's unpairing of `{prompt, chosen, rejected}` rows is not done here: give unpaired rows.
import AlignTokenizers

/// One tokenized unpaired example.
public struct TokenizedUnpaired: Codable, Sendable, Equatable {
    /// Prompt ids.
    public var prompt: [Int32]
    /// Completion ids.
    public var completion: [Int32]
    /// The mismatched completion paired with this prompt for the KL estimate (nil when not needed).
    public var klCompletion: [Int32]?
    /// True = desirable.
    public var label: Bool

    /// Creates an example.
    public init(prompt: [Int32], completion: [Int32], klCompletion: [Int32]? = nil, label: Bool) {
        self.prompt = prompt
        self.completion = completion
        self.klCompletion = klCompletion
        self.label = label
    }

    /// Both sequences cut to their first `maxLength` tokens (DataCollatorForUnpairedPreference).
    public func truncated(maxLength n: Int) -> TokenizedUnpaired {
        let kp = min(n, prompt.count)
        func cut(_ c: [Int32]) -> [Int32] { Array(c.prefix(max(0, n - kp))) }
        return TokenizedUnpaired(prompt: Array(prompt.prefix(kp)), completion: cut(completion),
                                 klCompletion: klCompletion.map(cut), label: label)
    }
}

/// The result of tokenizing an unpaired dataset: the examples kept and the rows dropped by length.
public struct TokenizedUnpairedDataset: Sendable {
    /// Kept examples in file order, with KL completions when asked, truncated to max_length.
    public var examples: [TokenizedUnpaired]
    /// Rows dropped because their prompt alone fills max_length.
    public var droppedByLength: [RowLocation]
}

extension PreferenceTokenizer {
    /// Tokenizes unpaired rows as TRL's KTOTrainer does.
    /// - Parameters:
    ///   - maxLength: TRL's `max_length` (KTOConfig default 1024); nil = no filter and no truncation.
    ///   - klChunkSize: `per_device_train_batch_size` when the loss needs KL completions; nil for none.
    public func tokenizeUnpaired(_ examples: [UnpairedExample], maxLength: Int?,
                                 klChunkSize: Int?) throws -> TokenizedUnpairedDataset {
        if let n = maxLength, n < 1 { throw AlignDataError.invalidSetting(name: "max_length", value: "\(n)", expected: "≥ 1 or none") }
        if let k = klChunkSize, k < 1 {
            throw AlignDataError.invalidSetting(name: "per_device_train_batch_size", value: "\(k)", expected: "≥ 1")
        }
        var kept: [TokenizedUnpaired] = [], dropped: [RowLocation] = []
        for ex in examples {
            let t = try tokenizeUnpaired(ex)
            if let n = maxLength, t.prompt.count >= n { dropped.append(ex.location) } else { kept.append(t) }
        }
        if let k = klChunkSize {
            for start in stride(from: 0, to: kept.count, by: k) {
                let end = min(start + k, kept.count)
                let completions = kept[start ..< end].map(\.completion)
                for i in start ..< end { kept[i].klCompletion = completions[(i - start + completions.count - 1) % completions.count] }
            }
        }
        if let n = maxLength { kept = kept.map { $0.truncated(maxLength: n) } }
        return TokenizedUnpairedDataset(examples: kept, droppedByLength: dropped)
    }

    /// Tokenizes one unpaired row without truncation or KL completion.
    public func tokenizeUnpaired(_ ex: UnpairedExample) throws -> TokenizedUnpaired {
        let promptIDs: [Int], fullIDs: [Int]
        switch (ex.prompt, ex.completion) {
        case let (.text(p), .text(c)):
            promptIDs = encode(p)
            fullIDs = encode(p + withEOS(c))
        case let (.messages(p), .messages(c)):
            promptIDs = try render(p, generationPrompt: true, at: ex.location)
            fullIDs = try render(p + c, generationPrompt: false, at: ex.location)
        default:
            throw AlignDataError.malformedRow(ex.location, reason: "prompt and completion must both be text or both be message lists")
        }
        let n = Self.commonPrefixLength(promptIDs, fullIDs)
        return TokenizedUnpaired(prompt: promptIDs[..<n].map(Int32.init), completion: fullIDs[n...].map(Int32.init), label: ex.label)
    }
}
