// BitmaskProcessor: applies an allowed-token bitmask — the interface the grammar engine plugs in
// through. The layout is xgrammar's and llguidance's: per row, ⌈V/32⌉ UInt32 words, bit (i mod 32)
// of word i/32 set = token i allowed. Disallowed tokens, and logits past the mask's last word (a
// logits row can be longer than the tokenizer's vocabulary), are set to −inf.

/// Sets every token whose bit is 0 to −inf; the masks come from a per-row provider.
public struct BitmaskProcessor: LogitsProcessor {
    /// Returns the mask words for a row given its history (e.g. a grammar matcher's next-token mask).
    public var maskForRow: (TokenHistory) throws -> [UInt32]

    /// Creates a processor that asks `maskForRow` for each row's words at every step.
    public init(maskForRow: @escaping (TokenHistory) throws -> [UInt32]) {
        self.maskForRow = maskForRow
    }

    public func process(_ logits: UnsafeMutableBufferPointer<Float>, vocabularySize: Int,
                        histories: [TokenHistory]) throws {
        try LogitsRows.forEach(logits, vocabularySize: vocabularySize) { b, row in
            let words = try maskForRow(histories[b])
            try words.withUnsafeBufferPointer { try BitmaskProcessor.apply($0, to: row, row: histories[b].row) }
        }
    }

    /// Masks one logits row ([V]) with `words`; bits past the row are ignored, logits past the
    /// mask are disallowed.
    public static func apply(_ words: UnsafeBufferPointer<UInt32>, to row: UnsafeMutableBufferPointer<Float>,
                             row rowIndex: Int = 0) throws {
        let v = row.count
        let covered = min(v, words.count * 32)
        if words.count == 0 && v > 0 {
            throw AlignDecodingError.bitmaskTooShort(row: rowIndex, words: 0, needed: (v + 31) / 32)
        }
        for i in 0..<covered where (words[i >> 5] >> UInt32(i & 31)) & 1 == 0 { row[i] = -.infinity }
        for i in covered..<v { row[i] = -.infinity }
    }
}
