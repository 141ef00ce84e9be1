// Matcher behaviour on a toy vocabulary (xgrammar test_grammar_matcher_basic style): exact masks,
// EOS only at accepting states, sticky errors, rollback, forced bytes, logit padding; and the
// metamorphic check on the 32k tokenizer that every token of a valid document is in its mask.
import Testing
import AlignGrammar

@Suite("Grammar matcher")
struct MatcherTests {
    static let words = ["a", "b", "c", "ab", "ac", "abc", "x", ""]   // id 7 is a special token (no bytes)

    func vocab() throws -> TokenVocabulary {
        try TokenVocabulary(tokens: Self.words.map { Array($0.utf8) }, logitDimension: 40, eosTokenIds: [8])
    }

    @Test("masks list exactly the viable tokens; EOS only when complete")
    func masks() throws {
        let g = try CompiledGrammar(RegexGrammar.compile("ab|ac|b"))
        let m = GrammarMatcher(grammar: g, vocabulary: try vocab())
        #expect(GrammarMatcher.allowedIds(m.computeMask()) == [0, 1, 3, 4])
        #expect(m.acceptToken(0))
        #expect(GrammarMatcher.allowedIds(m.computeMask()) == [1, 2])
        #expect(m.acceptToken(1))
        #expect(m.isAccepting)
        #expect(GrammarMatcher.allowedIds(m.computeMask()) == [8])
        #expect(m.acceptToken(8))
        #expect(m.isTerminated)
        #expect(m.computeMask().allSatisfy { $0 == 0 })
        #expect(m.computeMask().count == 2)   // 40 logits → 2 words
    }

    @Test("a rejected token is sticky until rollback")
    func sticky() throws {
        let g = try CompiledGrammar(RegexGrammar.compile("ab|ac|b"))
        let m = GrammarMatcher(grammar: g, vocabulary: try vocab())
        #expect(!m.acceptToken(6))
        #expect(m.isError)
        #expect(!m.acceptToken(0))
        #expect(!m.acceptToken(7))
        m.rollback(1)
        #expect(!m.isError)
        #expect(m.acceptToken(5) == false)   // "abc" is not viable
        m.reset()
        #expect(m.acceptToken(3) && m.isAccepting)
        m.rollback(1)
        #expect(GrammarMatcher.allowedIds(m.computeMask()) == [0, 1, 3, 4])
    }

    @Test("forced bytes are the unique continuation")
    func forced() throws {
        let g = try JSONSchemaGrammar.compiled(
            #"{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}"#,
            options: JSONSchemaOptions(whitespace: .compact))
        let m = GrammarMatcher(grammar: g, vocabulary: try vocab())
        #expect(String(decoding: m.forcedBytes(), as: UTF8.self) == #"{"name":""#)
        #expect(m.acceptBytes(Array(#"{"name":"x"#.utf8)))
        #expect(String(decoding: m.forcedBytes(), as: UTF8.self) == "")   // '"' closes or continues
        #expect(m.acceptBytes([0x22]))
        #expect(String(decoding: m.forcedBytes(), as: UTF8.self) == "}")
    }

    @Test("every token of a valid document is in its mask (32k tokenizer), and rollback restores masks")
    func tok32kInvariant() throws {
        guard let tok = TestVocab.tok32k else { Issue.record("tokenizer-32k.json missing"); return }
        let schema = #"{"type":"object","properties":{"id":{"type":"integer","minimum":0},"tags":{"type":"array","items":{"type":"string","maxLength":8}},"ok":{"type":"boolean"}},"required":["id","tags"],"additionalProperties":false}"#
        let g = try JSONSchemaGrammar.compiled(schema, options: JSONSchemaOptions(whitespace: .flexible(maxRun: 4)))
        let doc = #"{"id": 12345, "tags": ["alpha", "beta gam"], "ok": true}"#
        let ids = TestVocab.tokenize(Array(doc.utf8), tok.byBytes)
        let m = GrammarMatcher(grammar: g, vocabulary: tok.vocab)
        var masks: [[UInt32]] = []
        for id in ids {
            let mask = m.computeMask()
            #expect(mask == m.computeMaskReference(), "fast walk differs from the reference walk")
            masks.append(mask)
            #expect(mask[id >> 5] & (1 << UInt32(id & 31)) != 0, "token \(id) \(tok.vocab.tokens[id]) not allowed")
            #expect(m.acceptToken(id))
        }
        #expect(m.isAccepting)
        let eos = tok.vocab.eosTokenIds[0]
        #expect(m.computeMask()[eos >> 5] & (1 << UInt32(eos & 31)) != 0)
        m.rollback(3)
        #expect(m.computeMask() == masks[ids.count - 3])
        // A string longer than maxLength 8 is blocked.
        let bad = GrammarMatcher(grammar: g, vocabulary: tok.vocab)
        #expect(!bad.acceptBytes(Array(#"{"id": 1, "tags": ["abcdefghi"#.utf8)))
    }

    @Test("vocabulary errors are typed")
    func vocabErrors() {
        #expect(throws: AlignGrammarError.self) { try TokenVocabulary(tokens: [[1], [2]], logitDimension: 1, eosTokenIds: []) }
        #expect(throws: AlignGrammarError.self) { try TokenVocabulary(tokens: [[1]], eosTokenIds: [5]) }
    }
}
