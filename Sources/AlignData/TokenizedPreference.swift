// TokenizedPreference: one preference pair as token ids — the prompt and the two completions, split where
// TRL's DPOTrainer splits them — and the per-sequence truncation of TRL 1.16's DataCollatorForPreference
// (trl/trainer/dpo_trainer.py): each of prompt+chosen and prompt+rejected is cut to `max_length`, keeping
// its start (`keep_start`, the default) or its end (`keep_end`). With `keep_end` the two sequences may lose
// different amounts of prompt, so the rejected side can carry its own prompt part (`rejectedPrompt`).

/// TRL's `truncation_mode`.
public enum TruncationMode: String, Codable, Sendable, CaseIterable {
    /// Keep the first `max_length` tokens (TRL 1.16's default); rows whose prompt alone is ≥ max_length are dropped.
    case keepStart = "keep_start"
    /// Keep the last `max_length` tokens (deprecated in TRL 1.16, still supported).
    case keepEnd = "keep_end"
}

/// One tokenized preference example (prompt, chosen completion, rejected completion).
public struct TokenizedPreference: Codable, Sendable, Equatable {
    /// Prompt ids (of the chosen sequence, and of the rejected one unless `rejectedPrompt` is set).
    public var prompt: [Int32]
    /// Chosen completion ids.
    public var chosen: [Int32]
    /// Rejected completion ids.
    public var rejected: [Int32]
    /// The rejected sequence's prompt part when truncation cut it differently from the chosen one.
    public var rejectedPrompt: [Int32]?

    /// Creates an example; `rejectedPrompt` nil means both sequences share `prompt`.
    public init(prompt: [Int32], chosen: [Int32], rejected: [Int32], rejectedPrompt: [Int32]? = nil) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.rejectedPrompt = rejectedPrompt
    }

    /// The two training sequences as (prompt part, completion part): chosen first, then rejected.
    public var sequences: [(prompt: [Int32], completion: [Int32])] {
        [(prompt, chosen), (rejectedPrompt ?? prompt, rejected)]
    }

    /// Both sequences cut to at most `maxLength` tokens as DataCollatorForPreference cuts them; the
    /// completion mask of a cut sequence is the cut of its mask, so the prompt/completion split carries over.
    public func truncated(maxLength: Int, mode: TruncationMode) -> TokenizedPreference {
        let c = Self.cut(prompt, chosen, maxLength, mode)
        let r = Self.cut(rejectedPrompt ?? prompt, rejected, maxLength, mode)
        return TokenizedPreference(prompt: c.0, chosen: c.1, rejected: r.1, rejectedPrompt: r.0 == c.0 ? nil : r.0)
    }

    static func cut(_ p: [Int32], _ c: [Int32], _ n: Int, _ mode: TruncationMode) -> ([Int32], [Int32]) {
        let total = p.count + c.count
        guard total > n else { return (p, c) }
        switch mode {
        case .keepStart:
            // Python seq[:n]: the prompt keeps min(n, |p|) tokens, the completion the rest.
            let kp = min(n, p.count)
            return (Array(p[..<kp]), Array(c[..<(n - kp)]))
        case .keepEnd:
            // Python seq[-n:]: drop `total − n` tokens from the front, prompt first.
            let drop = total - n
            let dp = min(drop, p.count)
            return (Array(p[dp...]), Array(c[(drop - dp)...]))
        }
    }
}
