// Strict vs loose scoring, empty responses, the eight loose variants, typed errors on bad data, and the Python
// string semantics the scorer depends on. Expected values are hand-derived from the reference's
// evaluation_lib.py and CPython's str methods.
import Foundation
import Testing
import AlignEval
import AlignTestSupport

private func item(_ ids: [String], _ kwargs: [[String: IFEvalKwargValue]], _ response: String) -> IFEvalItem {
    IFEvalItem(prompt: IFEvalPrompt(key: 7, prompt: "p", instructionIdList: ids, kwargs: kwargs), response: response)
}

@Suite("IFEval scorer: strict, loose and errors")
struct IFEvalScorerTests {
    let scorer: IFEvalScorer

    init() throws { scorer = IFEvalScorer(tools: try SharedTools.tools.get()) }

    @Test("a blank response follows nothing, strict or loose — even instructions its text would pass")
    func blankResponse() throws {
        for response in ["", "   \n\t", "\u{1C}\u{A0}"] {
            let r = try scorer.score(item(["punctuation:no_comma", "keywords:forbidden_words"],
                                          [[:], ["forbidden_words": .strings(["x"])]], response))
            #expect(r.strict == [false, false] && r.loose == [false, false])
        }
    }

    @Test("the eight loose variants are built as the reference builds them")
    func looseVariants() {
        let v = IFEvalScorer.looseVariants(PyText(py: "Sure:\n*\"Hi\"*\nBye")).map(\.string)
        #expect(v == ["Sure:\n*\"Hi\"*\nBye", "Sure:\n\"Hi\"\nBye", "*\"Hi\"*\nBye", "Sure:\n*\"Hi\"*", "*\"Hi\"*",
                      "\"Hi\"\nBye", "Sure:\n\"Hi\"", "\"Hi\""])
        // One line: dropping the first or last line leaves nothing.
        #expect(IFEvalScorer.looseVariants(PyText(py: "a*b")).map(\.string) == ["a*b", "ab", "", "", "", "", "", ""])
    }

    @Test("loose accepts a response that passes once a preamble line or '*' is removed; strict does not")
    func looseRescues() throws {
        let r = try scorer.score(item(["startend:quotation", "detectable_format:json_format"], [[:], [:]],
                                      "Here you go:\n\"{}\""))
        #expect(r.strict == [false, false])
        #expect(r.loose == [true, true])  // the second line alone, "{}" in quotes, is a JSON string
        let bold = try scorer.score(item(["startend:quotation"], [[:]], "**\"quoted\"**"))
        #expect(bold.strict == [false] && bold.loose == [true])
        #expect(!bold.strictAll && bold.looseAll)
    }

    @Test("prompt- and instruction-level accuracies count prompts and instruction instances")
    func aggregates() throws {
        let report = try scorer.score([
            item(["punctuation:no_comma", "startend:quotation"], [[:], [:]], "\"no commas\""),
            item(["punctuation:no_comma", "startend:quotation"], [[:], [:]], "a, b"),
            item(["punctuation:no_comma"], [[:]], "fine"),
        ])
        #expect(report.promptStrict == IFEvalCount(followed: 2, total: 3))
        #expect(report.instructionStrict == IFEvalCount(followed: 3, total: 5))
        #expect(report.metrics.map(\.name) == ["prompt_level_strict_acc", "inst_level_strict_acc",
                                               "prompt_level_loose_acc", "inst_level_loose_acc"])
        #expect(report.byInstruction["punctuation:no_comma"]?.strict == IFEvalCount(followed: 2, total: 3))
        #expect(report.perPromptJSONLines().hasPrefix(
            "{\"key\": 7, \"instruction_id_list\": [\"punctuation:no_comma\", \"startend:quotation\"], \"strict_follow_instruction_list\": [true, true]"))
    }

    @Test("bad instruction data is a typed error naming the prompt, instruction and kwarg")
    func typedErrors() throws {
        #expect(throws: AlignEvalError.unknownInstruction(key: 7, id: "keywords:nonexistent")) {
            try scorer.score(item(["keywords:nonexistent"], [[:]], "x"))
        }
        #expect(throws: AlignEvalError.invalidKwarg(key: 7, id: "length_constraints:number_words", kwarg: "relation",
                                                    expected: "\"less than\" or \"at least\"")) {
            try scorer.score(item(["length_constraints:number_words"],
                                  [["num_words": .int(3), "relation": .string("more than")]], "x"))
        }
        #expect(throws: AlignEvalError.invalidKwarg(key: 7, id: "keywords:letter_frequency", kwarg: "letter",
                                                    expected: "a single character")) {
            try scorer.score(item(["keywords:letter_frequency"],
                                  [["letter": .string("ab"), "let_frequency": .int(1), "let_relation": .string("at least")]], "x"))
        }
        // Null kwargs (the Hugging Face layout) are dropped, so a required one is then missing.
        #expect(throws: AlignEvalError.invalidKwarg(key: 7, id: "detectable_content:number_placeholders",
                                                    kwarg: "num_placeholders", expected: "a non-negative integer")) {
            try scorer.score(item(["detectable_content:number_placeholders"], [["num_placeholders": .null]], "x"))
        }
    }

    @Test("self-contained lines in the Hugging Face layout (null kwargs) score without a prompts file")
    func selfContained() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ifeval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("hf.jsonl")
        let line = #"{"key": 9, "prompt": "Answer without commas.", "instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"], "kwargs": [{"num_words": null, "relation": null}, {"num_words": 3, "relation": "less than"}], "response": "Yes indeed"}"#
        try Data((line + "\n").utf8).write(to: url)
        let items = try IFEvalData.readSelfContainedItems(url)
        let report = try scorer.score(items)
        #expect(report.results.map(\.key) == [9])
        #expect(report.results[0].strict == [true, true])
    }

    @Test("a response whose prompt is not in the prompts file is an error naming file and line")
    func unknownPrompt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ifeval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let responses = dir.appendingPathComponent("r.jsonl")
        try Data("{\"prompt\": \"p\", \"response\": \"x\"}\n\n{\"prompt\": \"other\", \"response\": \"y\"}\n".utf8)
            .write(to: responses)
        let prompts = [IFEvalPrompt(key: 1, prompt: "p", instructionIdList: [], kwargs: [])]
        #expect(throws: AlignEvalError.promptNotFound(path: responses.path, line: 3, promptPrefix: "other")) {
            try IFEvalData.readItems(responses: responses, prompts: prompts)
        }
        try Data("{\"prompt\": 5}\n".utf8).write(to: responses)
        #expect(throws: AlignEvalError.malformedLine(path: responses.path, line: 1, reason: "wrong type at 'prompt'")) {
            try IFEvalData.readItems(responses: responses, prompts: prompts)
        }
    }
}

@Suite("Python string semantics")
struct PythonTextTests {
    @Test("strip uses Python whitespace, including U+001C–U+001F, U+0085 and U+00A0")
    func strip() {
        #expect(PyText(py: "\u{1C}\u{85}\u{A0} x \u{3000}").pyStrip().string == "x")
        #expect(PyText(py: "\u{200B}x").pyStrip().string == "\u{200B}x")  // ZWSP is not whitespace
    }

    @Test("lower uses full case mapping and the final-sigma rule; isupper/islower need a cased character")
    func caseMapping() {
        #expect(PyText(py: "İ").pyLower().count == 2)
        #expect(PyText(py: "ΟΔΟΣ ΟΔΟΣ").pyLower().string == "οδο\u{3C2} οδο\u{3C2}")
        #expect(PyText(py: "ΣΑΣ").pyLower().string == "\u{3C3}α\u{3C2}")
        #expect(PyText(py: "Σ").pyLower().string == "\u{3C3}")
        #expect(PyText(py: "HELLO 123 !").pyIsUpper && !PyText(py: "123").pyIsUpper && !PyText(py: "ǅ").pyIsUpper)
        #expect(PyText(py: "straße").pyIsLower && !PyText(py: "").pyIsLower)
    }

    @Test("json.loads acceptance: NaN and scalars yes; trailing commas, single quotes, raw control characters no")
    func json() {
        let accept = ["0", "-0.5e+3", "NaN", "-Infinity", "\"\\u00e9\"", "{\"a\": [1, {\"b\": null}]}", " [true]\n"]
        let reject = ["", "01", "1.", "[1,]", "{'a': 1}", "\"a\u{1}b\"", "{\"a\" 1}", "\u{FEFF}{}", "nan", "[1] x"]
        for s in accept { #expect(PyJSONValidator.accepts(PyText(py: s)), "\(s)") }
        for s in reject { #expect(!PyJSONValidator.accepts(PyText(py: s)), "\(s)") }
        #expect(!PyJSONValidator.accepts(PyText(py: String(repeating: "[", count: 5000))))
    }
}
