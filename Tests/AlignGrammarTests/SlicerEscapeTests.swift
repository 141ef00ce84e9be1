// JSON's two-byte escapes (`\n`, `\"`, `\\`, …) count as body characters of the slicer (TokenSlices,
// PlainChar), so tokens made of letters and escapes are allowed wholesale inside a string body, and
// tokens ending in a lone `\` come from bitsets by character count (LexAutomaton+CutEscape). The
// check behind it is exact per DFA, so strings whose DFA treats an escape unlike a letter (a pattern,
// a length bound) must still get exactly the reference walk's masks. A toy vocabulary full of escape
// tokens walks documents through plain, bounded, patterned and property-name strings and compares
// every mask with `computeMaskReference`.
import Testing
@testable import AlignGrammar

@Suite("Slicer: JSON escapes as body characters")
struct SlicerEscapeTests {
    /// Letters, escape runs, escapes beside letters and quotes, cut-off escapes, `\u` pieces, an
    /// unknown escape, and the JSON punctuation needed to write the documents.
    static let tokens: [String] = [
        "a", "b", "c", "x", "ab", "abc", "name", "na", "me", " ", "1", "2", "12",
        #"\n"#, #"\n\n"#, #"\""#, #"\\"#, #"\/"#, #"\t"#, #"a\n"#, #"\nb"#, #"ab\"c"#, #"\"\""#,
        #"\"#, #"\u"#, #"\u00"#, "1f", #"\q"#, #"a\"#, #"abc\"#, #"\n\"#,
        "\"", "\",", "\"}", "\":", "\":\"", "{", "}", "{\"", ",\"", ":", "a\"", #"\n""#,
    ]

    static let cases: [(schema: String, doc: String)] = [
        (#"{"type":"string"}"#, #""ab\"c\n\nx\\\ta\n\u001f""#),
        (#"{"type":"string","maxLength":6}"#, #""a\n\"b\\""#),
        (#"{"type":"string","minLength":3,"maxLength":4}"#, #""\n\nab""#),
        (#"{"type":"string","maxLength":3}"#, #""ab\n""#),
        (#"{"type":"string","maxLength":5}"#, #""ab\n\nb""#),
        (#"{"type":"string","pattern":"^[a-c]*$"}"#, #""abcab""#),
        (#"{"type":"string","pattern":"^(\\n|x)*$"}"#, #""\n\nx\n""#),
        (#"{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"#,
         #"{"name":"a\"b\n","a\nb":"\\","x":"12"}"#),
    ]

    @Test("plain characters include the canonical two-byte JSON escapes, not \\/, \\u or unknown ones")
    func plainChars() {
        #expect(TokenSlices.plainChars(Array(#"a\n"#.utf8)) == 2)
        #expect(TokenSlices.plainChars(Array(#"\"\\\t"#.utf8)) == 3)
        #expect(TokenSlices.plainChars(Array(#"\/"#.utf8)) == nil)      // not canonical JSON
        #expect(TokenSlices.plainChars(Array(#"\u0041"#.utf8)) == nil)
        #expect(TokenSlices.plainChars(Array(#"\q"#.utf8)) == nil)
        #expect(TokenSlices.plainChars(Array(#"a\"#.utf8)) == nil)      // a cut-off escape
        #expect(TokenSlices.plainChars(Array("a\"".utf8)) == nil)       // a bare quote ends the body
    }

    @Test("fast masks equal the reference walk at every step", arguments: 0..<cases.count)
    func parity(_ i: Int) throws {
        let vocab = try TestVocab.toy(Self.tokens)
        let byBytes = Dictionary(Self.tokens.enumerated().map { (Array($1.utf8), $0) }, uniquingKeysWith: { a, _ in a })
        let (schema, doc) = Self.cases[i]
        let g = try JSONSchemaGrammar.compiled(schema, options: JSONSchemaOptions(whitespace: .compact))
        let ids = TestVocab.tokenize(Array(doc.utf8), byBytes)
        #expect(!ids.contains(-1), "the toy vocabulary cannot spell \(doc)")
        let cold = MaskWalkTests.walk(g, ids, vocab)
        let warm = MaskWalkTests.walk(g, ids, vocab)
        #expect(cold == warm)
    }

    @Test("an unconstrained string body is sliced, and its escape tokens come from the slice")
    func bodyRootIsSliced() throws {
        let vocab = try TestVocab.toy(Self.tokens)
        let g = try JSONSchemaGrammar.compiled(#"{"type":"string"}"#, options: JSONSchemaOptions(whitespace: .compact))
        let m = GrammarMatcher(grammar: g, vocabulary: vocab)
        #expect(m.acceptBytes(Array("\"ab".utf8)))
        let mask = m.computeMask()
        #expect(mask == m.computeMaskReference())
        func allowed(_ t: String) -> Bool? {
            guard let id = Self.tokens.firstIndex(of: t) else { Issue.record("no token \(t)"); return nil }
            return mask[id >> 5] & (1 << UInt32(id & 31)) != 0
        }
        for t in [#"\n\n"#, #"ab\"c"#, #"\\"#, #"\u00"#, "\"", "a\"", "{", #"abc\"#, #"\"#] { #expect(allowed(t) == true, "\(t) refused in a string") }
        #expect(allowed(#"\q"#) == false, "an unknown escape allowed in a string")
        #expect(allowed(#"\/"#) == false, "a non-canonical escape allowed in a string")
        var sc = WalkScratch()
        sc.reserve(depth: vocab.trie.maxDepth)
        sc.rootPos = m.parser.length
        let entry: RootMask? = g.cache.withEngine(vocab) { lex, roots in roots[m.parser.lexState(&lex, &sc)] }
        #expect(entry?.sliced == true, "the string-body root was walked in full instead of sliced")
        #expect(entry?.noCut == true, "the cut-escape tokens were walked instead of taken from their bitsets")
        // Escape runs are in the slice; a `\u` piece stays in the rest trie; cut escapes have bitsets.
        let rest = Set(vocab.slices.rest.tokenIds.map(Int.init)), noCut = Set(vocab.slices.restNoCut.tokenIds.map(Int.init))
        #expect(!rest.contains(Self.tokens.firstIndex(of: #"\n\n"#) ?? -1))
        #expect(rest.contains(Self.tokens.firstIndex(of: #"\u00"#) ?? -1) && noCut.contains(Self.tokens.firstIndex(of: #"\u00"#) ?? -1))
        #expect(rest.contains(Self.tokens.firstIndex(of: #"abc\"#) ?? -1) && !noCut.contains(Self.tokens.firstIndex(of: #"abc\"#) ?? -1))
        #expect(vocab.slices.maxCutChars == 3)
    }
}
