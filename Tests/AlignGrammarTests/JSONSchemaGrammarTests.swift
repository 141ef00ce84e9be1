// Accept/reject tables for the JSON Schema front end (compact whitespace unless stated), in the style
// of llguidance's sample_parser tests: schema, accepted instances, rejected instances.
import Testing
import AlignGrammar

@Suite("JSON Schema front end")
struct JSONSchemaGrammarTests {
    static let compact = JSONSchemaOptions(whitespace: .compact)

    static let table: [(String, [String], [String])] = [
        (#"{"type":"integer","minimum":-12,"maximum":305}"#, ["-12", "0", "305", "99"], ["-13", "306", "1000", "01", "3.5", "7.0"]),
        // A 64-bit bound is clamped inward to 10^18 (MaskBench sp_18): sound, numbers above are refused.
        (#"{"type":"integer","minimum":0,"maximum":9223372036854775807}"#, ["0", "123456789012345678", "1000000000000000000"],
         ["-1", "1.5", "1000000000000000001"]),
        (#"{"type":"integer","exclusiveMinimum":0,"multipleOf":7}"#, ["7", "14", "700"], ["0", "-7", "8"]),
        (#"{"type":"number","minimum":-1.5,"maximum":2}"#, ["-1", "-1.0", "0.25", "2", "2.000"], ["-2", "2.5", "3", "-1.75"]),
        (#"{"type":"string","minLength":2,"maxLength":3}"#, [#""ab""#, #""日本語""#, #""\"x""#], [#""a""#, #""abcd""#]),
        (#"{"type":"string","minLength":70,"maxLength":100}"#, ["\"" + String(repeating: "é", count: 70) + "\"", "\"" + String(repeating: "a", count: 100) + "\""],
         ["\"" + String(repeating: "a", count: 69) + "\"", "\"" + String(repeating: "a", count: 101) + "\""]),
        // Past 1024 characters the content is split into 256-character chunk terminals: exact at every edge.
        (#"{"type":"string","minLength":1030,"maxLength":2000}"#,
         [1030, 1791, 1792, 1793, 2000].map { "\"" + String(repeating: "a", count: $0) + "\"" } + ["\"" + String(repeating: "é", count: 1500) + "\""],
         [1029, 2001, 2300].map { "\"" + String(repeating: "a", count: $0) + "\"" }),
        (#"{"type":"string","minLength":1100}"#, [1100, 3000].map { "\"" + String(repeating: "b", count: $0) + "\"" },
         ["\"" + String(repeating: "b", count: 1099) + "\""]),
        (#"{"type":"string","pattern":"^[a-z]+\\d$"}"#, [#""ab1""#], [#""ab""#, #""AB1""#, #""1""#]),
        (#"{"type":"string","format":"date"}"#, [#""2024-02-29""#, #""2023-12-31""#], [#""2023-02-29""#, #""2023-04-31""#]),
        (#"{"enum":["a",1,null,{"k":[true]}]}"#, [#""a""#, "1", "1.0", "null", #"{"k":[true]}"#], [#""b""#, "2", #"{"k":[]}"#]),
        (#"{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"}},"required":["b"],"additionalProperties":false}"#,
         [#"{"b":"x"}"#, #"{"a":1,"b":"x"}"#], ["{}", #"{"a":1}"#, #"{"b":"x","c":1}"#, #"{"b":1}"#]),
        (#"{"type":"object","properties":{"a":{"const":1}},"additionalProperties":{"type":"boolean"},"minProperties":2}"#,
         [#"{"a":1,"z":true}"#, #"{"y":false,"z":true}"#], [#"{"a":1}"#, #"{"a":1,"z":2}"#, #"{"a":2,"z":true}"#]),
        (#"{"type":"array","prefixItems":[{"type":"string"}],"items":{"type":"integer"},"minItems":2,"maxItems":3}"#,
         [#"["a",1]"#, #"["a",1,2]"#], [#"["a"]"#, #"[1,2]"#, #"["a",1,2,3]"#, #"["a","b"]"#]),
        (##"{"$defs":{"node":{"type":"object","properties":{"v":{"type":"integer"},"next":{"$ref":"#/$defs/node"}},"required":["v"],"additionalProperties":false}},"$ref":"#/$defs/node"}"##,
         [#"{"v":1}"#, #"{"v":1,"next":{"v":2,"next":{"v":3}}}"#], [#"{"v":1,"next":{}}"#, #"{"next":{"v":1}}"#]),
        (#"{"anyOf":[{"type":"string","maxLength":1},{"type":"integer","minimum":10}]}"#, [#""a""#, "10"], [#""ab""#, "9"]),
        (#"{"oneOf":[{"type":"string"},{"type":"null"}]}"#, [#""s""#, "null"], ["1"]),
        // Disjoint by a discriminator once the sibling `type` is taken into account (MaskBench o42156).
        (#"{"type":"object","oneOf":[{"properties":{"s":{"enum":["ok"]}},"required":["s"]},{"properties":{"s":{"enum":["no"]}},"required":["s"]}]}"#,
         [#"{"s":"ok"}"#, #"{"s":"no"}"#], [#"{"s":"x"}"#, "{}", #""ok""#]),
        // Disjoint because one branch requires a key the closed empty object forbids (MaskBench o58843).
        (#"{"oneOf":[{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]},{"type":"object","additionalProperties":false}]}"#,
         [#"{"id":"a"}"#, "{}", #"{"id":"a","x":1}"#], [#"{"x":1}"#, #"{"id":1}"#]),
        (#"{"allOf":[{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]},{"properties":{"a":{"minimum":5}}}]}"#,
         [#"{"a":5}"#, #"{"a":9,"b":null}"#], [#"{"a":4}"#, "{}"]),
        (#"{"type":"object","patternProperties":{"^x-":{"type":"integer"}},"additionalProperties":false}"#,
         [#"{"x-a":1}"#, "{}"], [#"{"x-a":"s"}"#, #"{"y":1}"#]),
    ]

    @Test("schemas accept and reject instances", arguments: 0..<table.count)
    func table(_ i: Int) throws {
        let (schema, good, bad) = Self.table[i]
        let g = try JSONSchemaGrammar.compiled(schema, options: Self.compact)
        for s in good { #expect(try matchesFully(g, s), "\(schema) should accept \(s)") }
        for s in bad { #expect(try !matchesFully(g, s), "\(schema) should reject \(s)") }
    }

    @Test("flexible whitespace is bounded")
    func whitespace() throws {
        let g = try JSONSchemaGrammar.compiled(#"{"type":"array","items":{"type":"integer"}}"#,
                                               options: JSONSchemaOptions(whitespace: .flexible(maxRun: 2)))
        #expect(try matchesFully(g, "[ 1 ,\n2 ]"))
        #expect(try !matchesFully(g, "[   1]"))
    }

    @Test("any property order accepts permutations and still enforces required")
    func anyOrder() throws {
        let g = try JSONSchemaGrammar.compiled(
            #"{"properties":{"a":{},"b":{},"c":{}},"required":["a","c"],"additionalProperties":false}"#,
            options: JSONSchemaOptions(whitespace: .compact, propertyOrder: .any))
        for s in [#"{"c":1,"a":2}"#, #"{"b":1,"c":2,"a":3}"#] { #expect(try matchesFully(g, s), "\(s)") }
        for s in [#"{"c":1,"b":2}"#, #"{"a":1,"a":2,"c":3}"#] { #expect(try !matchesFully(g, s), "\(s)") }
    }

    @Test("unsupported keywords name the keyword and pointer; lenient turns them into warnings")
    func unsupported() throws {
        let s = #"{"properties":{"a":{"unevaluatedProperties":false}}}"#
        #expect(throws: AlignGrammarError.unsupportedKeyword(keyword: "unevaluatedProperties", pointer: "#/properties/a/unevaluatedProperties", reason: "not compiled to a grammar")) {
            try JSONSchemaGrammar.compile(s)
        }
        let (_, warnings) = try JSONSchemaGrammar.compile(s, options: JSONSchemaOptions(lenient: true))
        #expect(warnings == ["ignored 'unevaluatedProperties' at #/properties/a/unevaluatedProperties: not compiled to a grammar"])
    }

    @Test("overlapping oneOf branches are refused")
    func oneOfOverlap() {
        #expect(throws: AlignGrammarError.self) { try JSONSchemaGrammar.compile(#"{"oneOf":[{"type":"integer"},{"minimum":2}]}"#) }
        // A required key the other branch declares is no proof: {"id": 1} satisfies both.
        #expect(throws: AlignGrammarError.self) {
            try JSONSchemaGrammar.compile(#"{"oneOf":[{"type":"object","required":["id"]},{"type":"object","properties":{"id":{}},"additionalProperties":false}]}"#)
        }
    }

    @Test("unresolvable references are errors")
    func badRef() {
        #expect(throws: AlignGrammarError.unresolvedReference(ref: "#/$defs/x", pointer: "#")) {
            try JSONSchemaGrammar.compile(##"{"$ref":"#/$defs/x"}"##)
        }
    }
}
