// TokenHistory: what a logits processor may look at for one row — the prompt ids followed by the
// generated ids, as transformers' `input_ids` holds them for a decoder-only model (left padding is
// never stored here, which is what transformers' `prompt_ignore_length` from the attention mask
// achieves for the repetition penalty).

/// The token ids of one batch row: the prompt followed by everything generated so far.
public struct TokenHistory: Equatable, Sendable {
    /// The row's index in the batch the generator was started with (stable across compaction).
    public var row: Int
    /// Prompt ids, then generated ids (finished rows keep receiving pad ids, as in transformers).
    public var tokens: [Int32]
    /// How many leading entries of `tokens` are the prompt.
    public var promptLength: Int

    /// Creates a history; `tokens` holds the prompt first.
    public init(row: Int, tokens: [Int32], promptLength: Int) {
        self.row = row
        self.tokens = tokens
        self.promptLength = promptLength
    }

    /// The generated ids (everything after the prompt).
    public var generated: ArraySlice<Int32> { tokens[promptLength...] }

    /// Number of generated ids.
    public var generatedCount: Int { tokens.count - promptLength }
}
