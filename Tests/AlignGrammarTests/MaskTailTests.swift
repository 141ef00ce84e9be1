// The mask-time tail work (branch gtail) against the plain reference walk (`computeMaskReference`,
// one Earley set per trie edge) at every step of valid documents on the shared 32k tokenizer:
// - property-name roots of objects with many declared names (24, all with different first letters,
//   beside the generic "not a declared name" key): the root walk steps 25+ pairs raw
//   (`LexAutomaton+RootWalk`), and the slicer accepts the generic key by its reachable-state
//   closure (`allLiveClosure`) although its states branch 24 ways after one character;
// - space-prefixed numbers (` 123`: the number is predicted after the whitespace, inside the walk),
//   whose further digits reuse one parser step through the key-node memo (`boundary`);
// - a small object in any property order with integer extras, and an array of integers.
// Each case is walked twice: a second matcher on the same compiled grammar sees the warm cache.
import Testing
@testable import AlignGrammar

@Suite("Mask tail: many-property objects and space-prefixed numbers")
struct MaskTailTests {
    static let names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
                        "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
                        "uniform", "victor", "whiskey", "xray"]

    /// An object with the 24 names, alternately boolean-or-integer and string, open to other keys.
    static var wideSchema: String {
        let props = names.enumerated().map { i, n in
            "\"\(n)\":" + (i % 2 == 0 ? #"{"type":["boolean","integer"]}"# : #"{"type":"string"}"#)
        }
        return #"{"type":"object","properties":{"# + props.joined(separator: ",") + "}}"
    }

    static let cases: [(schema: String, doc: String, order: JSONSchemaOptions.PropertyOrder)] = [
        (wideSchema, #"{"alpha": 120, "bravo": "b", "echo": true, "golf": 5, "zulu": 77, "kilo": 2024, "xray": "x"}"#, .declared),
        // 24 names are past `maxAnyOrderProperties`: any order falls back to declared order.
        (wideSchema, #"{"charlie": 9, "other key": [1, 2], "india": false, "mike": 31, "xray": "x"}"#, .any),
        (#"{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":{"type":"number"}},"additionalProperties":{"type":"integer"}}"#,
         #"{"c": 12.5, "zz": 4444, "a": 1, "b": 333}"#, .any),
        (#"{"type":"array","items":{"type":"integer","minimum":0}}"#, #"[1, 22, 333, 4444, 55555, 0, 10]"#, .declared),
    ]

    @Test("fast masks equal reference masks at every step, cold and warm cache", arguments: 0..<cases.count)
    func parity(_ i: Int) throws {
        guard let tok = TestVocab.tok32k else { Issue.record("tokenizer-32k.json missing"); return }
        let (schema, doc, order) = Self.cases[i]
        let g = try JSONSchemaGrammar.compiled(schema, options: JSONSchemaOptions(whitespace: .flexible(maxRun: 4), propertyOrder: order))
        let ids = TestVocab.tokenize(Array(doc.utf8), tok.byBytes)
        #expect(!ids.contains(-1))
        let cold = MaskWalkTests.walk(g, ids, tok.vocab)
        let warm = MaskWalkTests.walk(g, ids, tok.vocab)
        #expect(cold == warm, "a second matcher on the same grammar sees different masks")
        #expect(cold.count == ids.count)
    }

    @Test("a property-name root of the 24-name object is sliced, and allows exactly the reference's tokens")
    func keyRootIsSliced() throws {
        guard let tok = TestVocab.tok32k else { Issue.record("tokenizer-32k.json missing"); return }
        let g = try JSONSchemaGrammar.compiled(Self.wideSchema, options: JSONSchemaOptions(whitespace: .flexible(maxRun: 4)))
        let m = GrammarMatcher(grammar: g, vocabulary: tok.vocab)
        #expect(m.acceptBytes(Array(#"{"alpha": 1, ""#.utf8)))
        let fast = m.computeMask()
        #expect(fast == m.computeMaskReference())
        // Every plain-character token (a possible start of an undeclared key) is allowed: "a", "Hello", "zz".
        for word in ["a", "Hello", "zz"] {
            guard let id = tok.byBytes[Array(word.utf8)] else { Issue.record("no token \(word)"); continue }
            #expect(fast[id >> 5] & (1 << UInt32(id & 31)) != 0, "\(word) refused in a property name")
        }
        var sc = WalkScratch()
        sc.reserve(depth: tok.vocab.trie.maxDepth)
        sc.rootPos = m.parser.length
        let (states, sliced): (Int, Bool?) = g.cache.withEngine(tok.vocab) { lex, roots in
            let root = m.parser.lexState(&lex, &sc)
            return (lex.components[Int(root)].count, roots[root]?.sliced)
        }
        #expect(states > 8, "the root holds the remaining name literals and the generic key (\(states) pairs)")
        #expect(sliced == true, "the property-name root was walked in full instead of sliced")
    }
}
