// Streaming detokenization and the byte vocabulary, checked against full decode and the fixture texts of
// scripts/fixtures/make_tokenizer_fixtures.py (no extra witness needed: these are invariants).
import Foundation
import Testing
import AlignTestSupport
@testable import AlignTokenizers

@Suite("Streaming detokenizer and token bytes")
struct StreamingAndBytesTests {
    /// Feeds ids one by one and checks, at every step, that the emitted text equals full decode whenever full
    /// decode does not end in an incomplete character. (While it does, full decode itself is not a prefix of
    /// later decodes: ByteFallback turns a whole incomplete run of byte tokens into U+FFFD per byte.)
    static func checkStream(_ tok: Tokenizer, _ ids: [Int], skip: Bool, _ label: String) throws {
        var stream = StreamingDetokenizer(tokenizer: tok, skipSpecialTokens: skip)
        var emitted = ""
        for n in ids.indices.map({ $0 + 1 }) {
            let piece = try stream.push(ids[n - 1])
            emitted += piece
            let full = try tok.decode(Array(ids.prefix(n)), skipSpecialTokens: skip)
            if full.unicodeScalars.last != "\u{FFFD}" {
                #expect(emitted == full, "\(label) step \(n)")
            }
        }
        emitted += try stream.finish()
        #expect(emitted == (try tok.decode(ids, skipSpecialTokens: skip)), "\(label) after finish")
    }

    @Test("streamed text equals full decode at every step", arguments: TokenizerFixtures.names)
    func streamEqualsDecode(name: String) throws {
        let (tok, fx) = try TokenizerFixtures.load(name)
        try Self.checkStream(tok, fx.batch_decode.ids, skip: true, name)
        for c in fx.cases where !c.ids.isEmpty {
            try Self.checkStream(tok, c.ids, skip: false, "\(name) \(c.text.debugDescription)")
        }
    }

    @Test("a split emoji is held back until its last byte arrives")
    func heldBack() throws {
        let tok = try Tokenizer(contentsOf: TokenizerFixtures.url("tok32k"))
        // 😀 is four byte-level tokens in this vocabulary: "ðŁ", "ĺ", "Ģ" (see tok32k.expected.json).
        let ids = tok.encode("😀", addSpecialTokens: false).ids
        #expect(ids.count == 3)
        var s = StreamingDetokenizer(tokenizer: tok)
        #expect(try s.push(ids[0]) == "")
        #expect(try s.push(ids[1]) == "")
        #expect(try s.push(ids[2]) == "😀")
    }

    @Test("token bytes reproduce the input bytes", arguments: TokenizerFixtures.names)
    func tokenBytesConcatenate(name: String) throws {
        let (tok, fx) = try TokenizerFixtures.load(name)
        #expect(tok.tokenBytes.count == tok.vocabSize)
        guard ["tok32k", "llama3", "qwen2", "sentencepiece"].contains(name) else { return }
        for c in fx.cases {
            let bytes = c.ids_no_special.flatMap { tok.tokenBytes[$0] }
            // SentencePiece-style: the normalizer prepends ▁ (a space) to every piece of text between added tokens.
            if name == "sentencepiece" {
                if !c.text.contains("<s>") && !c.text.contains("</s>") && !c.text.isEmpty {
                    #expect(bytes == Array((" " + c.text).utf8), "\(name): \(c.text.debugDescription)")
                }
            } else if !c.ids_no_special.contains(where: { tok.addedTokens.map(\.id).contains($0) }) {
                // Qwen2-style normalizes to NFC first.
                let text = name == "qwen2" ? c.text.precomposedStringWithCanonicalMapping : c.text
                #expect(bytes == Array(text.utf8), "\(name): \(c.text.debugDescription)")
            }
        }
    }

    @Test("known token bytes: byte-level, ▁ and <0xNN>")
    func knownBytes() throws {
        let bl = try Tokenizer(contentsOf: TokenizerFixtures.url("tok32k"))
        let g = try #require(bl.id(for: "Ġthe"))
        #expect(bl.tokenBytes[g] == Array(" the".utf8))
        let nl = try #require(bl.id(for: "Ċ"))
        #expect(bl.tokenBytes[nl] == [0x0A])
        let sp = try Tokenizer(contentsOf: TokenizerFixtures.url("sentencepiece"))
        let b = try #require(sp.id(for: "<0xE2>"))
        #expect(sp.tokenBytes[b] == [0xE2])
        let w = try #require(sp.id(for: "▁the▁"))
        #expect(sp.tokenBytes[w] == Array(" the ".utf8))
        #expect(sp.tokenBytes[1] == Array("<s>".utf8))
    }
}
