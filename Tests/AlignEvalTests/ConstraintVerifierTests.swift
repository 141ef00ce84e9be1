// Constraint verifiers (ACT's three classes): accept/reject tables with Unicode, empty and adversarial inputs,
// spec errors, and CSR with cross-response constraints. Expected values are hand-derived from each verifier's
// documented rule.
import Foundation
import Testing
import AlignEval

struct VerifierCase: CustomTestStringConvertible, Sendable {
    let spec: String
    let response: String
    let input: String
    let expected: Bool
    init(_ spec: String, _ response: String, input: String = "", _ expected: Bool) {
        self.spec = spec; self.response = response; self.input = input; self.expected = expected
    }
    var testDescription: String { "\(spec) on \(String(reflecting: response.prefix(30))) → \(expected)" }
}

private func constraint(_ json: String) throws -> Constraint {
    guard case let .object(o)? = JSONValue.parse(json) else { throw AlignEvalError.badResource(name: json, reason: "test spec") }
    return try Constraint(prompt: "t", object: o, tools: try SharedTools.tools.get())
}

/// Runs one single-response constraint through the evaluator.
private func verdict(_ spec: String, _ response: String, input: String = "") throws -> Bool {
    let json = "{\"prompts\": [{\"id\": \"t\", \"input\": \(IFEvalReportJSON.quote(input)), \"constraints\": [\(spec)]}]}"
    let parsed = try ConstraintSpec(json: Data(json.utf8), tools: try SharedTools.tools.get())
    let report = try ConstraintEvaluator.evaluate(parsed, responses: [(id: "t", response: response)])
    return report.results[0].verdicts[0].satisfied
}

enum IFEvalReportJSON {
    static func quote(_ s: String) -> String {
        String(decoding: (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}

enum VerifierTable {
    static let cases: [VerifierCase] = [
        // class 1: the response alone
        VerifierCase(#"{"type": "word_count", "min": 2, "max": 3}"#, "naïve café-bar", true),
        VerifierCase(#"{"type": "word_count", "min": 2, "max": 3}"#, "", false),
        VerifierCase(#"{"type": "word_count", "max": 2}"#, "हिंदी भाषा", true),  // marks stay inside words
        VerifierCase(#"{"type": "sentence_count", "max": 2}"#, "Dr. Who arrived. He left. Bye.", false),
        VerifierCase(#"{"type": "sentence_count", "max": 2}"#, "Dr. Who arrived at 5 p.m. on Monday. He left.", true),
        VerifierCase(#"{"type": "token_count", "max": 4}"#, "I DON'T know.", false),  // I, DO, N'T, know, .
        VerifierCase(#"{"type": "token_count", "min": 5, "max": 5}"#, "I DON'T know.", true),
        VerifierCase(#"{"type": "char_count", "max": 3}"#, "e\u{301}e\u{301}", false),  // code points, not graphemes
        VerifierCase(#"{"type": "char_count", "max": 3}"#, "日本語", true),
        VerifierCase(#"{"type": "bullet_count", "min": 2, "max": 2}"#, "* a\n- b", true),
        VerifierCase(#"{"type": "bullet_count", "min": 2}"#, "**bold**\n**bold**", false),
        VerifierCase(#"{"type": "keywords_include", "keywords": ["Zürich", "ÉTÉ"]}"#, "zürich in été", true),
        VerifierCase(#"{"type": "keywords_include", "keywords": ["cat"], "whole_word": true}"#, "concatenate", false),
        VerifierCase(#"{"type": "keywords_include", "keywords": ["a"], "min_count": 2, "case_sensitive": true}"#, "aA", false),
        VerifierCase(#"{"type": "keywords_exclude", "keywords": ["cat"]}"#, "concatenate", true),
        VerifierCase(#"{"type": "keywords_exclude", "keywords": ["cat"]}"#, "«CAT»", false),
        VerifierCase(#"{"type": "keyword_frequency", "keyword": "ana", "min": 2}"#, "banana", false),  // non-overlapping
        VerifierCase(#"{"type": "keyword_frequency", "keyword": "ab", "min": 2, "max": 2}"#, "AB ab", true),
        VerifierCase(#"{"type": "regex", "pattern": "^\\d{3}-\\d{4}$", "match": "full"}"#, "555-1234", true),
        VerifierCase(#"{"type": "regex", "pattern": "\\d{3}", "match": "full"}"#, "1234", false),
        VerifierCase(#"{"type": "regex", "pattern": "http", "negate": true}"#, "no links here", true),
        VerifierCase(#"{"type": "json"}"#, "```json\n{\"a\": [1, 2]}\n```", true),
        VerifierCase(#"{"type": "json"}"#, "{\"a\": NaN}", false),
        VerifierCase(#"{"type": "json", "schema": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 2}, "age": {"type": "integer", "minimum": 0}}, "additionalProperties": false}}"#,
                     "{\"name\": \"Zoë\", \"age\": 3}", true),
        VerifierCase(#"{"type": "json", "schema": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 2}, "age": {"type": "integer", "minimum": 0}}, "additionalProperties": false}}"#,
                     "{\"name\": \"Zoë\", \"age\": 3.5}", false),
        VerifierCase(#"{"type": "json", "schema": {"type": "array", "items": {"enum": ["a", "b"]}, "uniqueItems": true}}"#,
                     "[\"a\", \"a\"]", false),
        VerifierCase(#"{"type": "section_count", "splitter": "Section", "min": 2}"#, "Section 1\nx\nSection 2\ny", true),
        VerifierCase(#"{"type": "section_count", "splitter": "Section", "min": 2}"#, "Section one, Section two", false),
        VerifierCase(#"{"type": "case", "case": "upper"}"#, "ÜBER 100%!", true),
        VerifierCase(#"{"type": "case", "case": "upper"}"#, "123 !!!", false),  // no cased letter
        VerifierCase(#"{"type": "case", "case": "lower"}"#, "straße ǅ", false),  // titlecase letter
        VerifierCase(#"{"type": "language", "language": "de"}"#, "Das ist ein kurzer deutscher Satz über das Wetter in Berlin.", true),
        VerifierCase(#"{"type": "language", "language": "de"}"#, "12345 !!!", false),
        VerifierCase(#"{"type": "label_set", "labels": ["positive", "negative"]}"#, "  Positive \n", true),
        VerifierCase(#"{"type": "label_set", "labels": ["positive", "negative"]}"#, "positive.", false),
        VerifierCase(#"{"type": "label_set", "labels": ["PER", "LOC"], "multi": true, "case_sensitive": true}"#, "PER, LOC", true),
        VerifierCase(#"{"type": "label_set", "labels": ["PER", "LOC"], "multi": true}"#, "PER,,LOC", false),
        // class 2: response and input
        VerifierCase(#"{"type": "copy_input"}"#, "You said: Grüße aus Köln!", input: " Grüße aus Köln ", true),
        VerifierCase(#"{"type": "copy_input"}"#, "grüße aus köln", input: "Grüße aus Köln", false),
        VerifierCase(#"{"type": "extractive"}"#, "The cat sat.", input: "Yesterday the cat sat on the mat.", true),
        VerifierCase(#"{"type": "extractive", "n": 2}"#, "the mat sat", input: "the cat sat on the mat", false),
        VerifierCase(#"{"type": "extractive", "min_fraction": 0.5}"#, "cat dog", input: "a cat", true),
        VerifierCase(#"{"type": "extractive"}"#, "", input: "a cat", false),
        VerifierCase(#"{"type": "answer_in_options"}"#, "Paris.", input: "London\nParis\nRome", true),
        VerifierCase(#"{"type": "answer_in_options", "options": ["yes", "no"]}"#, "maybe", false),
        VerifierCase(#"{"type": "labels_from_input"}"#, "person, city", input: "Types: person, city, date", false),
        VerifierCase(#"{"type": "labels_from_input"}"#, "Person, DATE", input: "person, city, date", true),
    ]
}

@Suite("Constraint verifiers and CSR")
struct ConstraintVerifierTests {
    @Test("each verifier's verdict", arguments: VerifierTable.cases)
    func table(_ c: VerifierCase) throws {
        #expect(try verdict(c.spec, c.response, input: c.input) == c.expected)
    }

    @Test("every registered single-response type has an accept and a reject case")
    func coverage() throws {
        for type in Constraint.types where !["agreement", "disjoint", "distinct_n"].contains(type) {
            let verdicts = Set(VerifierTable.cases.filter { $0.spec.contains("\"\(type)\"") }.map(\.expected))
            #expect(verdicts == [true, false], "\(type)")
        }
    }

    @Test("cross-response constraints judge all responses of a prompt; CSR and aggregates follow")
    func groups() throws {
        let spec = #"""
        {"constraints": [{"type": "word_count", "max": 3}],
         "prompts": [
          {"id": "same", "constraints": [{"type": "agreement"}]},
          {"id": "before-after", "constraints": [{"type": "disjoint"}]},
          {"id": "varied", "constraints": [{"type": "distinct_n", "n": 1, "min": 0.75}]}]}
        """#
        let parsed = try ConstraintSpec(json: Data(spec.utf8), tools: try SharedTools.tools.get())
        let report = try ConstraintEvaluator.evaluate(parsed, responses: [
            ("same", "Paris"), ("same", "  paris "),
            ("before-after", "war, treaty"), ("before-after", "Treaty, election"),
            ("varied", "a b"), ("varied", "c d e f"),
        ])
        #expect(report.results.map(\.csr) == [1, 1, 0.5, 0.5, 1, 0.5])
        #expect(abs(report.meanCSR - 4.5 / 6) < 1e-12)
        #expect(report.fullySatisfied == IFEvalCount(followed: 3, total: 6))
        #expect(report.byType["disjoint"] == IFEvalCount(followed: 0, total: 2))
        #expect(report.byClass["responses"] == IFEvalCount(followed: 4, total: 6))
        #expect(report.byType["word_count"] == IFEvalCount(followed: 5, total: 6))
    }

    @Test("bad specs are typed errors naming prompt, type and argument")
    func errors() throws {
        let tools = try SharedTools.tools.get()
        #expect(throws: AlignEvalError.invalidConstraint(prompt: "t", type: "word_count", reason: "give 'min', 'max' or both")) {
            try constraint(#"{"type": "word_count"}"#)
        }
        #expect(throws: AlignEvalError.invalidConstraint(prompt: "t", type: "regex", reason: "'pattern' must be a string")) {
            try constraint(#"{"type": "regex", "pattern": 5}"#)
        }
        #expect(throws: AlignEvalError.self) { try constraint(##"{"type": "json", "schema": {"$ref": "#/x"}}"##) }
        #expect(throws: AlignEvalError.self) { try constraint(#"{"type": "no_such_check"}"#) }
        let spec = #"{"prompts": [{"id": "a", "constraints": [{"type": "case", "case": "upper"}]}]}"#
        let parsed = try ConstraintSpec(json: Data(spec.utf8), tools: tools)
        #expect(throws: AlignEvalError.invalidConstraint(prompt: "b", type: "-", reason: "response for an id not in the spec")) {
            try ConstraintEvaluator.evaluate(parsed, responses: [("b", "X")])
        }
    }
}
