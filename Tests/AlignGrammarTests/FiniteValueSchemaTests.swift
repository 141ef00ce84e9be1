// Schemas whose values are finitely many (an `enum`/`const` conjunct) are decided value by value by
// the instance validator, so keywords without a grammar form (`not`, `if`, `contains`, `uniqueItems`,
// dependencies) compile exactly there. Two checks: an accept/reject table walked byte by byte and
// token by token (32k tokenizer), and the JSON-Schema-Test-Suite (draft 2020-12) re-run in
// JSONSchemaBench's "Synthesized" form: every suite schema S and instance v as
// S ∧ enum[v] (accepts v iff v is valid) and, for self-contained S, enum[v] ∧ not S (accepts v iff
// v is invalid). No compiled case may accept an instance it should reject.
import Foundation
import Testing
import AlignGrammar
import AlignTestSupport

@Suite("Finite-value schemas (enum/const conjuncts) through the instance validator")
struct FiniteValueSchemaTests {
    static let compact = JSONSchemaOptions(whitespace: .compact)

    static let table: [(String, [String], [String])] = [
        (#"{"allOf":[{"enum":[0,1,2,3]},{"not":{"minimum":2}}]}"#, ["0", "1", "1.0"], ["2", "3"]),
        (#"{"allOf":[{"enum":[{"bar":2},{"bar":2,"foo":"abc"}]},{"not":{"not":{"oneOf":[{"properties":{"bar":{"type":"integer"}},"required":["bar"]},{"properties":{"foo":{"type":"string"}},"required":["foo"]}]}}}]}"#,
         [#"{"bar":2}"#], [#"{"bar":2,"foo":"abc"}"#, #"{"foo":"abc"}"#]),
        (#"{"enum":[[1,2],[3],[]],"contains":{"const":3}}"#, ["[3]"], ["[1,2]", "[]"]),
        (#"{"enum":[[1,1],[1,2],[1,1.0]],"uniqueItems":true}"#, ["[1,2]"], ["[1,1]", "[1,1.0]"]),
        (#"{"enum":["a","bb",1,20],"if":{"type":"string"},"then":{"maxLength":1},"else":{"minimum":10}}"#, [#""a""#, "20"], [#""bb""#, "1"]),
        (#"{"enum":[{"a":1},{"a":1,"b":2},{"b":2}],"dependentRequired":{"a":["b"]}}"#, [#"{"a":1,"b":2}"#, #"{"b":2}"#], [#"{"a":1}"#]),
        (#"{"enum":[{"a":1},{"a":1,"b":2}],"dependencies":{"a":{"required":["b"]}}}"#, [#"{"a":1,"b":2}"#], [#"{"a":1}"#]),
        (#"{"enum":[0.3,0.35,10],"multipleOf":0.1}"#, ["0.3", "10", "10.0"], ["0.35", "0.4"]),
        (##"{"$defs":{"small":{"maximum":5}},"allOf":[{"enum":[1,9]},{"not":{"$ref":"#/$defs/small"}}]}"##, ["9"], ["1", "5"]),
        (#"{"enum":[{"xa":1},{"xa":"s"},{"y":1}],"patternProperties":{"^x":{"type":"integer"}},"additionalProperties":false}"#,
         [#"{"xa":1}"#], [#"{"xa":"s"}"#, #"{"y":1}"#]),
        // Strings compare code point by code point: NFD "a\u{308}" is not NFC "ä".
        (#"{"enum":["a\u0308","\u00e4"],"not":{"const":"\u00e4"}}"#, ["\"a\u{308}\""], ["\"\u{e4}\""]),
        (#"{"anyOf":[{"const":"x"},{"enum":["y","z"]}],"not":{"pattern":"^z"}}"#, [#""x""#, #""y""#], [#""z""#, #""w""#]),
        (#"{"enum":[[1,"a"],[1,2]],"prefixItems":[{"type":"integer"}],"items":{"type":"integer"}}"#, ["[1,2]"], [#"[1,"a"]"#, "[1]"]),
    ]

    @Test("finite-value schemas accept and reject instances byte by byte and token by token", arguments: 0..<table.count)
    func table(_ i: Int) throws {
        let (schema, good, bad) = Self.table[i]
        let g = try JSONSchemaGrammar.compiled(schema, options: Self.compact)
        for s in good {
            #expect(try matchesFully(g, s), "\(schema) should accept \(s)")
            if let tok = TestVocab.tok32k { #expect(walkTokens(g, s, tok), "\(schema) should accept \(s) token by token") }
        }
        for s in bad {
            #expect(try !matchesFully(g, s), "\(schema) should reject \(s)")
            if let tok = TestVocab.tok32k { #expect(!walkTokens(g, s, tok), "\(schema) should reject \(s) token by token") }
        }
    }

    @Test("an undecidable keyword (format under not) still refuses to compile")
    func undecided() {
        #expect(throws: AlignGrammarError.self) {
            try JSONSchemaGrammar.compile(#"{"enum":["a@b.c"],"not":{"format":"email"}}"#, options: Self.compact)
        }
    }

    func walkTokens(_ g: CompiledGrammar, _ text: String, _ tok: (vocab: TokenVocabulary, byBytes: [[UInt8]: Int])) -> Bool {
        let m = GrammarMatcher(grammar: g, vocabulary: tok.vocab)
        for t in TestVocab.tokenize(Array(text.utf8), tok.byBytes) where !m.acceptToken(t) { return false }
        return m.isAccepting
    }

    /// Serialized `schema` with `extra` members added (keeps the root, so "#…" references still resolve).
    static func adding(_ schema: JSONValue, _ extra: [JSONMember]) -> JSONValue? {
        switch schema {
        case .bool(let b): return .object((b ? [] : [JSONMember("not", .bool(true))]) + extra)
        case .object(let ms):
            var out = ms
            for e in extra {
                if let i = out.firstIndex(where: { $0.key == "allOf" }), case .array(let xs) = out[i].value {
                    out[i].value = .array(xs + [.object([e])])
                } else { out.append(JSONMember("allOf", .array([.object([e])]))) }
            }
            return .object(out)
        default: return nil
        }
    }

    @Test("JSON-Schema-Test-Suite as S ∧ enum[v] and enum[v] ∧ not S: nothing under-constrained")
    func suiteSynthesized() throws {
        var files = SuiteRunner.files("")
        try #require(!files.isEmpty, "shared/data/json-schema-test-suite missing")
        files.removeAll { $0.lastPathComponent.hasPrefix("refRemote") }
        var total = 0, compiled = 0, exact = 0, over: [String] = [], under: [String] = []
        let bytes = try TestVocab.bytes()
        for f in files {
            guard case .array(let groups) = try JSONParser.parse(Array(Data(contentsOf: f))) else { continue }
            for group in groups {
                guard let s = group["schema"], case .array(let tests)? = group["tests"] else { continue }
                let selfContained = !s.serialized.contains("$ref") && !s.serialized.contains("$id") && !s.serialized.contains("$dynamic")
                for t in tests {
                    guard let v = t["data"], case .bool(let valid)? = t["valid"] else { continue }
                    var cases: [(JSONValue, Bool)] = []
                    if let pos = Self.adding(s, [JSONMember("enum", .array([v]))]) { cases.append((pos, valid)) }
                    if selfContained { cases.append((.object([JSONMember("enum", .array([v])), JSONMember("not", s)]), !valid)) }
                    for (schema, expected) in cases {
                        total += 1
                        // A schema that admits no value compiles to the empty language: a rejection.
                        let ok: Bool
                        do {
                            let g = try CompiledGrammar(JSONSchemaGrammar.compile(schema, options: SuiteRunner.options).grammar)
                            ok = SuiteRunner.walk(g, v.serialized, tokens: nil, vocab: bytes)
                        } catch AlignGrammarError.emptyLanguage { ok = false } catch { continue }
                        compiled += 1
                        if ok == expected { exact += 1 } else if expected { over.append("\(f.lastPathComponent): \(schema.serialized) rejects \(v.serialized)") } else { under.append("\(f.lastPathComponent): \(schema.serialized) accepts \(v.serialized)") }
                    }
                }
            }
        }
        print("synthesized suite: cases \(total), compiled \(compiled), exact \(exact), over-constrained \(over.count), under-constrained \(under.count)")
        for u in under { print("UNDER \(u)") }
        for o in over { print("OVER \(o)") }
        #expect(under.isEmpty)
        #expect(compiled > 1700)
    }
}
