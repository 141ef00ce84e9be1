// The fast mask walk (lexer automaton, per-lexer-state cached masks, per-mask reuse of root
// boundaries; Matcher/GrammarMatcher+Mask.swift) against the plain walk that builds one Earley set per
// trie edge (`computeMaskReference`), at every step of valid documents on the shared 32k tokenizer.
// The cases pick the grammar shapes each shortcut depends on: rule completions inside a token
// (string and number values followed by `,` `}` `]`), right-recursive member lists, chunked long
// strings (maxLength past the single-automaton limit), nullable whitespace, and a GBNF
// grammar with repeats; a second matcher on the same compiled grammar walks with a warm cache.
import Testing
import AlignGrammar

@Suite("Fast mask walk")
struct MaskWalkTests {
    static let cases: [(schema: String, doc: String)] = [
        (#"{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"},"c":{"type":"array","items":{"type":"number"}}},"required":["a"]}"#,
         #"{"a": 120, "b": "x\"y z", "c": [1.5, -2, 3e4]}"#),
        (#"{"type":"array","items":{"enum":["red","green",12,null]},"maxItems":6}"#,
         #"["green", 12, null, "red"]"#),
        (#"{"type":"object","properties":{"s":{"type":"string","maxLength":1500},"n":{"type":["integer","null"],"minimum":0}}}"#,
         #"{"s": "a long enough value, with spaces", "n": 4711}"#),
        (#"{"anyOf":[{"type":"string","pattern":"^[a-z]+-[0-9]{2}$"},{"type":"object","additionalProperties":{"type":"boolean"}}]}"#,
         #"{"k1": true, "k2": false}"#),
        (#"{"type":"object","properties":{"d":{"type":"string","format":"date"},"x":{"type":"object","properties":{"y":{"type":"number"}}}}}"#,
         #"{"d": "2024-02-29", "x": {"y": 0.25}}"#),
        // String bodies (the slicer): short and long counted strings, a minimum length, non-ASCII
        // characters, escapes, and a string that ends exactly at its maximum.
        (#"{"type":"object","properties":{"t":{"type":"string","maxLength":20},"u":{"type":"string","minLength":3,"maxLength":90},"v":{"type":"string"},"w":{"type":"string","maxLength":5}}}"#,
         #"{"t": "héllo wörld ✓ ok", "u": "abc \"q\" \\ tail of a somewhat longer value ...", "v": "日本語 text\n", "w": "abcde"}"#),
    ]

    /// Walks `ids`, checking fast == reference before each token; returns the masks.
    static func walk(_ g: CompiledGrammar, _ ids: [Int], _ vocab: TokenVocabulary) -> [[UInt32]] {
        let m = GrammarMatcher(grammar: g, vocabulary: vocab)
        var masks: [[UInt32]] = []
        for id in ids {
            let fast = m.computeMask()
            #expect(fast == m.computeMaskReference(), "fast walk differs from the reference walk at step \(masks.count)")
            #expect(fast[id >> 5] & (1 << UInt32(id & 31)) != 0, "token \(id) of the document not allowed")
            masks.append(fast)
            #expect(m.acceptToken(id))
        }
        #expect(m.isAccepting)
        return masks
    }

    @Test("fast masks equal reference masks at every step, cold and warm cache", arguments: 0..<cases.count)
    func schemaCases(_ i: Int) throws {
        guard let tok = TestVocab.tok32k else { Issue.record("tokenizer-32k.json missing"); return }
        let (schema, doc) = Self.cases[i]
        let g = try JSONSchemaGrammar.compiled(schema, options: JSONSchemaOptions(whitespace: .flexible(maxRun: 4)))
        let ids = TestVocab.tokenize(Array(doc.utf8), tok.byBytes)
        let cold = Self.walk(g, ids, tok.vocab)
        let warm = Self.walk(g, ids, tok.vocab)
        #expect(cold == warm, "a second matcher on the same grammar sees different masks")
    }

    @Test("body slice: plain JSON-string characters counted per token, everything else refused")
    func plainCharacters() {
        #expect(TokenSlices.plainChars(Array("abc d".utf8)) == 5)
        #expect(TokenSlices.plainChars(Array("héllo ✓".utf8)) == 7)
        #expect(TokenSlices.plainChars(Array("😀".utf8)) == 1)
        #expect(TokenSlices.plainChars(Array("a\"".utf8)) == nil)
        #expect(TokenSlices.plainChars(Array("a\\".utf8)) == nil)
        #expect(TokenSlices.plainChars(Array("a\n".utf8)) == nil)
        #expect(TokenSlices.plainChars([0x61, 0xC3]) == nil)          // a cut-off two-byte character
        #expect(TokenSlices.plainChars([0xED, 0xA0, 0x80]) == nil)    // a UTF-16 surrogate
        #expect(TokenSlices.plainChars([0x7F]) == nil)
    }

    @Test("a GBNF grammar with repeats and alternatives: fast masks equal reference masks")
    func gbnfCase() throws {
        guard let tok = TestVocab.tok32k else { Issue.record("tokenizer-32k.json missing"); return }
        let gbnf = #"""
        root ::= item ("," " "? item)* "."
        item ::= [a-z]+ | [0-9]+ ("." [0-9]+)? | "\"" [^"]* "\""
        """#
        let g = try CompiledGrammar(GBNFGrammar.compile(gbnf))
        let doc = #"alpha, 42, "quoted text", 3.25,omega."#
        _ = Self.walk(g, TestVocab.tokenize(Array(doc.utf8), tok.byBytes), tok.vocab)
    }
}
