// GenerationEvent and GeneratedRow: what the loop reports — one event per live row per step (the
// token, the text it released and, on the last one, why the row finished), and per row the final
// token ids, text and finish reason (OpenAI's "stop" / "length").

/// Why a row stopped.
public enum FinishReason: String, Codable, Equatable, Sendable {
    /// An EOS id was generated or a stop string appeared.
    case stop
    /// `max_new_tokens` was reached.
    case length
}

/// One row's progress in one step.
public struct GenerationEvent: Equatable, Sendable {
    /// Batch row.
    public let row: Int
    /// The token appended to that row.
    public let token: Int32
    /// Newly released text (may be empty: a held-back partial character or stop-string prefix).
    public let textDelta: String
    /// Set on the row's last event.
    public let finishReason: FinishReason?

    /// Creates an event.
    public init(row: Int, token: Int32, textDelta: String, finishReason: FinishReason?) {
        self.row = row
        self.token = token
        self.textDelta = textDelta
        self.finishReason = finishReason
    }
}

/// A row's result.
public struct GeneratedRow: Equatable, Sendable {
    /// Generated ids, up to and including the token that finished the row (EOS or the stop string's last token).
    public let tokens: [Int32]
    /// Decoded text, ending before any stop string (empty without a `TokenBytes` decoder).
    public let text: String
    /// Nil while the row is still running.
    public let finishReason: FinishReason?

    /// Creates a row result.
    public init(tokens: [Int32], text: String, finishReason: FinishReason?) {
        self.tokens = tokens
        self.text = text
        self.finishReason = finishReason
    }
}
