// StreamingDetokenizer: turns a stream of generated ids into text increments that never split a UTF-8
// character, and whose concatenation equals `Tokenizer.decode` of all ids so far (once the text no longer ends
// in an incomplete character). Same idea as tokenizers' `DecodeStream` (tokenizers/src/tokenizer/mod.rs,
// v0.21+): decode a small window of recent ids twice — with and without the newest ones — and emit the
// difference, so decoders that treat the first token specially (Metaspace, Strip) see the same context both
// times. Output is held back while the window's text ends in U+FFFD (an incomplete byte sequence).

/// Incremental detokenizer for one generated sequence.
///
/// ```swift
/// var stream = StreamingDetokenizer(tokenizer: tok)
/// for id in generated { print(try stream.push(id), terminator: "") }
/// print(try stream.finish())
/// ```
public struct StreamingDetokenizer {
    public let tokenizer: Tokenizer
    public let skipSpecialTokens: Bool
    private var ids: [Int] = []
    /// Start of the decoding window; ids before it are emitted and no longer needed as context.
    private var windowStart = 0
    /// Ids in `windowStart..<readStart` are already emitted as `emittedText`.
    private var readStart = 0
    private var emittedText = ""

    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// All ids pushed so far.
    public var tokenIds: [Int] { ids }

    /// Adds one id; returns the text it completes (possibly empty).
    /// - Throws: `AlignTokenizersError.unknownTokenId` for an id outside the vocabulary.
    public mutating func push(_ id: Int) throws -> String {
        ids.append(id)
        return try emit(force: false)
    }

    /// Returns whatever is still held back (an incomplete character decodes as U+FFFD, as in full decode).
    public mutating func finish() throws -> String { try emit(force: true) }

    private mutating func emit(force: Bool) throws -> String {
        let text = try tokenizer.decode(Array(ids[windowStart...]), skipSpecialTokens: skipSpecialTokens)
        if !force && text.unicodeScalars.last == "\u{FFFD}" { return "" }
        guard text.unicodeScalars.count >= emittedText.unicodeScalars.count,
              text.unicodeScalars.starts(with: emittedText.unicodeScalars) else {
            // The window's text changed before the emitted part (not seen with the supported decoders): wait.
            return ""
        }
        var v = String.UnicodeScalarView()
        v.append(contentsOf: text.unicodeScalars.dropFirst(emittedText.unicodeScalars.count))
        // Nothing new (e.g. a skipped special token): keep the window, so the decoder's first token stays put.
        if v.isEmpty { return "" }
        // Slide the window: what was just emitted becomes the context for the next step.
        windowStart = readStart
        readStart = ids.count
        emittedText = try tokenizer.decode(Array(ids[windowStart..<readStart]), skipSpecialTokens: skipSpecialTokens)
        return String(v)
    }
}
