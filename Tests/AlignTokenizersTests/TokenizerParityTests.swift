// Parity with huggingface/tokenizers 0.23.3: ids, tokens, offsets and decoded text for every fixture string of
// every tokenizer written by scripts/fixtures/make_tokenizer_fixtures.py (Tests/Fixtures/tokenizers/).
import Foundation
import Testing
import AlignTestSupport
@testable import AlignTokenizers

struct TokenizerFixture: Decodable {
    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let tokens: [String]
        let offsets: [[Int]]
        let ids_no_special: [Int]
        let offsets_no_special: [[Int]]
        let decoded: String
        let decoded_skip: String
    }
    struct Stream: Decodable { let ids: [Int]; let prefix_decodes: [String] }
    let tokenizer_file: String?
    let vocab_size: Int
    let cases: [Case]
    let batch_decode: Stream
}

enum TokenizerFixtures {
    static let names = ["tok32k", "llama3", "qwen2", "sentencepiece", "metaspace", "misc", "whitespace", "bertregex"]

    static func url(_ name: String) -> URL {
        name == "tok32k" ? FixturePaths.shared("models/tokenizer-32k.json")
            : FixturePaths.fixture("tokenizers/\(name).tokenizer.json")
    }

    static func load(_ name: String) throws -> (Tokenizer, TokenizerFixture) {
        let fx = try FixturePaths.loadJSON(TokenizerFixture.self, "tokenizers/\(name).expected.json")
        return (try Tokenizer(contentsOf: url(name)), fx)
    }
}

@Suite("Tokenizer parity with huggingface/tokenizers")
struct TokenizerParityTests {
    @Test("ids, tokens and offsets match tokenizers for every fixture string", arguments: TokenizerFixtures.names)
    func encodeMatches(name: String) throws {
        let (tok, fx) = try TokenizerFixtures.load(name)
        #expect(tok.vocabSize == fx.vocab_size)
        for c in fx.cases {
            let e = tok.encode(c.text)
            #expect(e.ids == c.ids, "\(name) ids: \(c.text.debugDescription)")
            #expect(e.tokens == c.tokens, "\(name) tokens: \(c.text.debugDescription)")
            #expect(e.offsets.map { [$0.0, $0.1] } == c.offsets, "\(name) offsets: \(c.text.debugDescription)")
            let plain = tok.encode(c.text, addSpecialTokens: false)
            #expect(plain.ids == c.ids_no_special, "\(name) ids without specials: \(c.text.debugDescription)")
            #expect(plain.offsets.map { [$0.0, $0.1] } == c.offsets_no_special, "\(name) offsets without specials")
        }
    }

    @Test("decode matches tokenizers, with and without skip_special_tokens", arguments: TokenizerFixtures.names)
    func decodeMatches(name: String) throws {
        let (tok, fx) = try TokenizerFixtures.load(name)
        for c in fx.cases {
            #expect(try tok.decode(c.ids) == c.decoded, "\(name) decode: \(c.text.debugDescription)")
            #expect(try tok.decode(c.ids, skipSpecialTokens: true) == c.decoded_skip, "\(name) decode skip: \(c.text.debugDescription)")
        }
        // decode(encode(s)) == s wherever the reference round-trips.
        for c in fx.cases where c.decoded_skip == c.text {
            #expect(try tok.decode(tok.encode(c.text).ids, skipSpecialTokens: true) == c.text, "\(name) round trip")
        }
        for (i, expected) in fx.batch_decode.prefix_decodes.enumerated() {
            // Python's Tokenizer.decode defaults to skip_special_tokens=True.
            #expect(try tok.decode(Array(fx.batch_decode.ids.prefix(i)), skipSpecialTokens: true) == expected, "\(name) prefix decode \(i)")
        }
    }

    @Test("batch encode on both cores equals one-by-one encode", arguments: ["tok32k", "sentencepiece"])
    func batchMatches(name: String) throws {
        let (tok, fx) = try TokenizerFixtures.load(name)
        let texts = fx.cases.map(\.text)
        let batch = tok.encodeBatch(texts, threads: 2)
        #expect(batch.map(\.ids) == fx.cases.map(\.ids))
    }
}

@Suite("Byte-level fast path")
struct ByteLevelFastPathTests {
    @Test("the fast path is taken and equals the general pipeline", arguments: ["tok32k", "llama3", "qwen2"])
    func fastEqualsGeneral(name: String) throws {
        let (tok, fx) = try TokenizerFixtures.load(name)
        #expect(tok.fastPath != nil)
        let texts = fx.cases.map(\.text) + [try String(contentsOf: FixturePaths.packageRoot.appendingPathComponent("scripts/fixtures/make_tokenizer_fixtures.py"), encoding: .utf8)]
        for t in texts {
            var scratch = EncodeScratch()
            let fast = tok.encode(t, addSpecialTokens: true, scratch: &scratch, useFastPath: true)
            let again = tok.encode(t, addSpecialTokens: true, scratch: &scratch, useFastPath: true)  // cache hits
            let slow = tok.encode(t, addSpecialTokens: true, scratch: &scratch, useFastPath: false)
            #expect(fast == again)
            #expect(fast == slow, "\(name): \(t.prefix(40).debugDescription)")
        }
    }
}
