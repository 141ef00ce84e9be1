// Unit tests of single stages on crafted inputs with hand-computed expectations, the hand-written split
// regexes against ICU's NSRegularExpression, and typed errors for malformed tokenizer.json.
import Foundation
import Testing
import AlignTestSupport
@testable import AlignTokenizers

@Suite("Tokenizer stages and errors")
struct TokenizerStageTests {
    static func pieces(_ m: [Range<Int>], _ s: String) -> [String] {
        let sc = Array(s.unicodeScalars)
        return m.map { BPEModel.string(sc[$0]) }
    }

    @Test("GPT-2 regex splits contractions, spaces and digits")
    func gpt2Split() {
        let s = "I'm  here: 123 ok\n"
        #expect(Self.pieces(KnownRegex.gpt2.matches(in: Array(s.unicodeScalars)), s) == ["I", "'m", " ", " here", ":", " 123", " ok", "\n"])
    }

    @Test("Llama 3 regex groups up to three digits and keeps newlines apart")
    func llama3Split() {
        let s = "x 12345\n\n  Hello"
        let k = KnownRegex(pattern: KnownRegex.llama3Pattern)
        #expect(k == .llama3(maxDigits: 3))
        #expect(Self.pieces(k!.matches(in: Array(s.unicodeScalars)), s) == ["x", " ", "123", "45", "\n\n", " ", " Hello"])
    }

    static let regexCorpus = [
        "Hello world", "I'M can't", "a  b   c\n\n d", "12345 6789", "日本語 テスト", "emoji 😀🎉 👍🏽", "tabs\t\tx",
        "trailing   ", "  \n  \n", "x=100000;y='s'", "\u{00a0}nbsp\u{3000}ideo", "ab'LL 'Ve", "!!!???\n\n", "",
    ]

    @Test("hand-written regexes agree with NSRegularExpression",
          arguments: [KnownRegex.gpt2Pattern, KnownRegex.llama3Pattern, KnownRegex.qwen2Pattern])
    func knownRegexMatchesICU(pattern: String) throws {
        let known = try #require(KnownRegex(pattern: pattern))
        let icu = SplitPattern.regex(try NSRegularExpression(pattern: pattern))
        for text in Self.regexCorpus {
            let s = Array(text.unicodeScalars)
            #expect(known.matches(in: s) == icu.matches(in: s), "\(text.debugDescription)")
        }
    }

    @Test("split behaviours", arguments: [
        (SplitBehavior.removed, ["a", "b"]), (.isolated, ["a", "-", "b"]),
        (.mergedWithPrevious, ["a-", "b"]), (.mergedWithNext, ["a", "-b"]), (.contiguous, ["a", "-", "b"]),
    ])
    func behaviours(behavior: SplitBehavior, expected: [String]) {
        let s = "a-b"
        #expect(Self.pieces(behavior.split(count: 3, matches: [1..<2]), s) == expected)
    }

    @Test("NFKC keeps alignments: ﬁ becomes two characters of the same original character")
    func nfkcAlignment() {
        var n = NormalizedText(original: Array("ﬁx".unicodeScalars)[...])
        n.normalize(.nfkc)
        #expect(n.string == "fix")
        #expect(n.starts == [0, 0, 1])
        #expect(n.ends == [1, 1, 2])
    }

    @Test("Prepend and Replace align to the character they stand for")
    func prependReplace() {
        var n = NormalizedText(original: Array("a b".unicodeScalars)[...])
        AffixNormalizer(content: ["▁"], atStart: true).normalize(&n)
        ReplaceNormalizer(pattern: .literal([" "]), content: ["▁"]).normalize(&n)
        #expect(n.string == "▁a▁b")
        #expect(n.starts == [0, 0, 1, 2])
    }

    @Test("BPE merges lowest rank first, leftmost on ties")
    func bpeOrder() throws {
        let json = #"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "aa": 2, "ab": 3, "aab": 4},"#
            + #" "merges": [["a", "b"], "a a", ["aa", "b"]]}}"#
        let tok = try Tokenizer(json: Data(json.utf8))
        #expect(tok.encode("aaab").tokens == ["aa", "ab"])  // "a b" (rank 0) first, then "a a"
        #expect(tok.encode("aaa").tokens == ["aa", "a"])
    }

    static func loadError(_ json: String) -> AlignTokenizersError? {
        do { _ = try Tokenizer(json: Data(json.utf8)); return nil } catch let e as AlignTokenizersError { return e } catch { return nil }
    }

    @Test("malformed tokenizer.json names the key")
    func errors() {
        #expect(Self.loadError("{}") == .missingKey(path: "model"))
        #expect(Self.loadError(#"{"model": {"type": "Unigram", "vocab": []}}"#) == .unknownType(path: "model.type", type: "Unigram"))
        let seq = #"{"model": {"type": "BPE", "vocab": {}, "merges": []}, "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "ByteLevel"}, {"type": "Nope"}]}}"#
        #expect(Self.loadError(seq) == .unknownType(path: "pre_tokenizer.pretokenizers[1].type", type: "Nope"))
        let merge = #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}"#
        #expect(Self.loadError(merge) == .invalidMerge(path: "model.merges[0]", merge: "a b"))
        let vocab = #"{"model": {"type": "BPE", "merges": []}}"#
        #expect(Self.loadError(vocab) == .missingKey(path: "model.vocab"))
        #expect(Self.loadError(#"{"model": {"type": "BPE", "vocab": {}, "merges": []}, "decoder": {"type": "WordPiece"}}"#)
            == .unknownType(path: "decoder.type", type: "WordPiece"))
        if case .unreadableFile? = Self.loadError("{not json") {} else { Issue.record("expected unreadableFile") }
        #expect(AlignTokenizersError.unknownType(path: "decoder.type", type: "X").description.contains("decoder.type"))
    }

    @Test("decode rejects an id outside the vocabulary")
    func decodeUnknownId() throws {
        let tok = try Tokenizer(contentsOf: TokenizerFixtures.url("tok32k"))
        #expect(throws: AlignTokenizersError.unknownTokenId(99999)) { try tok.decode([99999]) }
    }
}
