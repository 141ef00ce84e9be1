// `not` pushed inward (negation normal form), if/then/else, dependentRequired / dependentSchemas /
// draft-07 dependencies, and recursive `$ref`s next to sibling keywords, compiled to grammars (no
// enum involved). An accept/reject table walked byte by byte and token by token, and the
// JSON-Schema-Test-Suite (draft 2020-12) with every self-contained schema S negated as {"not": S}:
// each compiled case must accept exactly the suite's invalid instances (none of its valid ones).
import Foundation
import Testing
import AlignGrammar
import AlignTestSupport

@Suite("Negation, conditionals, dependencies and recursive references with siblings")
struct NegationSchemaTests {
    static let compact = JSONSchemaOptions(whitespace: .compact, propertyOrder: .any)

    static let table: [(String, [String], [String])] = [
        (#"{"not":{"type":"string"}}"#, ["1", "null", "[]", "{}", "true"], [#""a""#]),
        (#"{"not":{"type":"integer"}}"#, ["1.5", "-0.25", #""a""#], ["1", "0", "-7", "2.0"]),
        (#"{"type":"integer","not":{"minimum":3}}"#, ["2", "-5"], ["3", "10"]),
        (#"{"type":"string","not":{"pattern":"^a"}}"#, [#""ba""#, #""""#], [#""a""#, #""abc""#]),
        (#"{"type":"string","not":{"enum":["x","y"]}}"#, [#""z""#, #""xy""#], [#""x""#, #""y""#]),
        (#"{"type":"number","not":{"enum":[1,2.5]}}"#, ["3", "2.4"], ["1", "1.0", "2.5", "2.50"]),
        (#"{"type":"object","not":{"required":["a"]}}"#, [#"{"b":1}"#, "{}"], [#"{"a":1}"#, #"{"b":1,"a":2}"#]),
        (#"{"type":"object","not":{"properties":{"a":{"type":"integer"}}}}"#, [#"{"a":"s"}"#], [#"{"a":1}"#, "{}", #"{"b":1}"#]),
        (#"{"not":{"anyOf":[{"type":"string"},{"type":"number"}]}}"#, ["null", "[]"], [#""s""#, "1", "1.5"]),
        (#"{"not":{"allOf":[{"type":"string"},{"maxLength":2}]}}"#, [#""abc""#, "1"], [#""ab""#, #""""#]),
        (#"{"not":{"not":{"type":"boolean"}}}"#, ["true", "false"], ["1", "null"]),
        (#"{"type":"array","not":{"minItems":2}}"#, ["[]", "[1]"], ["[1,2]"]),
        (#"{"if":{"type":"string"},"then":{"maxLength":1},"else":{"type":"integer"}}"#, [#""a""#, "5"], [#""ab""#, "1.5", "null"]),
        (#"{"type":"object","dependentRequired":{"a":["b"]}}"#, [#"{"a":1,"b":2}"#, #"{"b":1}"#, "{}"], [#"{"a":1}"#]),
        (#"{"type":"object","dependencies":{"a":{"required":["c"]},"b":["a"]}}"#,
         [#"{"a":1,"c":2}"#, "{}", #"{"c":1}"#, #"{"b":1,"a":2,"c":3}"#], [#"{"a":1}"#, #"{"b":1}"#, #"{"b":1,"a":2}"#]),
        (##"{"$defs":{"s":{"type":"string"}},"not":{"$ref":"#/$defs/s"}}"##, ["1"], [#""a""#]),
        // A recursive reference with a sibling keyword (MaskBench o48866's shape): the conjunction is a rule.
        (##"{"$defs":{"t":{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#/$defs/t","required":["id"]}}}}},"$ref":"#/$defs/t","required":["id"]}"##,
         [#"{"id":1}"#, #"{"id":1,"kids":[{"id":2,"kids":[{"id":3}]}]}"#], ["{}", #"{"id":1,"kids":[{}]}"#, #"{"id":1,"kids":[{"id":2,"kids":[{}]}]}"#]),
    ]

    @Test("accepts and rejects byte by byte and token by token", arguments: 0..<table.count)
    func table(_ i: Int) throws {
        let (schema, good, bad) = Self.table[i]
        let g = try JSONSchemaGrammar.compiled(schema, options: Self.compact)
        for s in good {
            #expect(try matchesFully(g, s), "\(schema) should accept \(s)")
            if let tok = TestVocab.tok32k { #expect(Self.walkTokens(g, s, tok), "\(schema) should accept \(s) token by token") }
        }
        for s in bad {
            #expect(try !matchesFully(g, s), "\(schema) should reject \(s)")
            if let tok = TestVocab.tok32k { #expect(!Self.walkTokens(g, s, tok), "\(schema) should reject \(s) token by token") }
        }
    }

    @Test("negations that are existential or non-regular are refused, naming not")
    func refused() {
        for s in [#"{"not":{"items":{"type":"string"}}}"#, #"{"not":{"format":"email"}}"#, #"{"not":{"uniqueItems":true}}"#] {
            #expect(throws: AlignGrammarError.self) { try JSONSchemaGrammar.compile(s, options: Self.compact) }
        }
    }

    static func walkTokens(_ g: CompiledGrammar, _ text: String, _ tok: (vocab: TokenVocabulary, byBytes: [[UInt8]: Int])) -> Bool {
        let m = GrammarMatcher(grammar: g, vocabulary: tok.vocab)
        for t in TestVocab.tokenize(Array(text.utf8), tok.byBytes) where !m.acceptToken(t) { return false }
        return m.isAccepting
    }

    @Test("JSON-Schema-Test-Suite negated ({\"not\": S}): nothing under-constrained")
    func suiteNegated() throws {
        let files = SuiteRunner.files("")
        try #require(!files.isEmpty, "shared/data/json-schema-test-suite missing")
        var total = 0, compiled = 0, exact = 0, over = 0, under: [String] = []
        let bytes = try TestVocab.bytes()
        for f in files {
            guard case .array(let groups) = try JSONParser.parse(Array(Data(contentsOf: f))) else { continue }
            for group in groups {
                guard let s = group["schema"], case .array(let tests)? = group["tests"] else { continue }
                let text = s.serialized
                if text.contains("$ref") || text.contains("$id") || text.contains("$dynamic") || text.contains("$anchor") { continue }
                total += 1
                let g: CompiledGrammar
                do { g = try CompiledGrammar(JSONSchemaGrammar.compile(.object([JSONMember("not", s)]), options: SuiteRunner.options).grammar) }
                catch AlignGrammarError.emptyLanguage {
                    // Nothing is valid under ¬S: right only if S accepts every instance.
                    compiled += 1
                    for t in tests { if case .bool(let valid)? = t["valid"], !valid { over += 1 } else { exact += 1 } }
                    continue
                } catch { continue }
                compiled += 1
                for t in tests {
                    guard let v = t["data"], case .bool(let valid)? = t["valid"] else { continue }
                    let ok = SuiteRunner.walk(g, v.serialized, tokens: nil, vocab: bytes)
                    if ok == !valid { exact += 1 } else if valid { under.append("\(f.lastPathComponent): not \(text) accepts \(v.serialized)") } else { over += 1 }
                }
            }
        }
        print("negated suite: groups \(total), compiled \(compiled), exact \(exact), over-constrained \(over), under-constrained \(under.count)")
        for u in under { print("UNDER \(u)") }
        #expect(under.isEmpty)
        #expect(compiled > 100)
    }
}
