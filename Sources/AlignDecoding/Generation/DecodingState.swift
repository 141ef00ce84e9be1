// DecodingState: everything that determines the rest of a generation — model cache, histories,
// processor state, random streams, decoded text and finish status. It is the unit of fork (copy it,
// with the cache copied through the model) and rollback (TokenGenerator.rollback trims it).

/// The complete, copyable state of a batched generation.
public struct DecodingState<Cache> {
    /// The model's per-row state.
    public var cache: Cache
    /// Prompt + generated ids per row (finished rows keep receiving the pad id).
    public var histories: [TokenHistory]
    /// Processors in application order (stateful ones copy themselves on fork).
    public var processors: [any LogitsProcessor]
    /// Each row's random stream; draw i of a row is its i-th generated token.
    public var streams: [PhiloxRandom]
    /// Decoded text per row.
    public var texts: [RowText]
    /// Finish reason per row (nil while running).
    public var finishReasons: [FinishReason?]
    /// Generated-token count at which each row finished.
    public var finishedAt: [Int?]
    /// Next-token logits `[B, V]`, valid unless `cacheIsBehind`.
    public var nextLogits: [Float]
    /// True when the last token of every row is not in the cache yet (the model is not run after
    /// the final step, as in transformers).
    public var cacheIsBehind: Bool
}
