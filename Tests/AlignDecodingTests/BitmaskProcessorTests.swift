// The grammar hook: a bitmask of UInt32 words (1 = allowed, xgrammar/llguidance layout) applied to
// a logits row, including logits past the mask and mask bits past the row.
import Testing
import AlignDecoding

@Suite("Bitmask processor")
struct BitmaskProcessorTests {
    @Test("bit i of word i/32 allows token i; logits past the mask are disallowed")
    func layout() throws {
        // V = 40: word 0 allows 0, 5, 31; word 1 allows 32 and 39. A 1-word mask cuts off 32…39.
        var row = [Float](repeating: 1, count: 40)
        let words: [UInt32] = [1 | 1 << 5 | 1 << 31, 1 | 1 << 7]
        try row.withUnsafeMutableBufferPointer { r in try words.withUnsafeBufferPointer { try BitmaskProcessor.apply($0, to: r) } }
        #expect(row.indices.filter { row[$0] == 1 } == [0, 5, 31, 32, 39])
        #expect(row.filter { $0 == -.infinity }.count == 35)
        var short = [Float](repeating: 2, count: 40)
        try short.withUnsafeMutableBufferPointer { r in try [UInt32.max].withUnsafeBufferPointer { try BitmaskProcessor.apply($0, to: r) } }
        #expect(short.indices.filter { short[$0] == 2 } == Array(0..<32))
        // Bits past the row (V = 3 with a full word) are ignored.
        var tiny: [Float] = [0.5, 0.25, 0.125]
        try tiny.withUnsafeMutableBufferPointer { r in try [UInt32(0b1111_0101)].withUnsafeBufferPointer { try BitmaskProcessor.apply($0, to: r) } }
        #expect(tiny == [0.5, -.infinity, 0.125])
    }

    @Test("the processor asks its provider per row and rejects an empty mask")
    func provider() throws {
        var logits: [Float] = [1, 2, 3, 4, 5, 6]  // [B=2, V=3]
        let histories = [TokenHistory(row: 0, tokens: [1], promptLength: 1), TokenHistory(row: 1, tokens: [2], promptLength: 1)]
        let mask = BitmaskProcessor { h in h.row == 0 ? [0b001] : [0b110] }
        try logits.withUnsafeMutableBufferPointer { try mask.process($0, vocabularySize: 3, histories: histories) }
        #expect(logits == [1, -.infinity, -.infinity, -.infinity, 5, 6])
        let empty = BitmaskProcessor { _ in [] }
        #expect(throws: AlignDecodingError.bitmaskTooShort(row: 0, words: 0, needed: 1)) {
            try logits.withUnsafeMutableBufferPointer { try empty.process($0, vocabularySize: 3, histories: histories) }
        }
    }
}
