// TokenBytes: the smallest tokenizer interface the loop needs — a token id's bytes — so stop
// strings are matched and text is streamed on the decoded byte stream without depending on
// AlignTokenizers' types (a byte-level BPE vocabulary maps each id to a byte string; special
// tokens such as EOS map to their text or to nothing).

/// Maps a token id to the bytes it contributes to the decoded text.
public protocol TokenBytes {
    /// The UTF-8 bytes of `token` (may be a partial character; may be empty for special tokens).
    func bytes(of token: Int32) -> [UInt8]
}

/// A fixed table of token bytes (toy vocabularies, tests, or a tokenizer's decoded table).
public struct TokenByteTable: TokenBytes, Sendable {
    /// `table[id]` = bytes of token `id`; ids past the end decode to nothing.
    public let table: [[UInt8]]

    /// Creates a table from per-token byte strings.
    public init(_ table: [[UInt8]]) { self.table = table }

    /// Creates a table from per-token strings (UTF-8).
    public init(strings: [String]) { self.table = strings.map { Array($0.utf8) } }

    public func bytes(of token: Int32) -> [UInt8] {
        token >= 0 && Int(token) < table.count ? table[Int(token)] : []
    }
}
