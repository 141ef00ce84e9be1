// The public pieces around the interpreter: the ordered JSON reader, tokenizer_config.json loading and its
// errors, transformers' message normalization (null keys dropped, reasoning fields aliased), strftime.
import Foundation
import Testing
import AlignTestSupport
@testable import AlignTokenizers

@Suite("Chat template API")
struct ChatTemplateAPITests {
    @Test("ChatJSON keeps key order, integers apart from doubles, and decodes escapes")
    func jsonReader() throws {
        let v = try ChatJSON.parse(#"{"z": 1, "a": [1.5, -2, 3e2, true, null], "s": "\u00e9\n\ud83d\ude00\"", "z": 7}"#)
        guard case .object(let pairs) = v else { Issue.record("not an object"); return }
        #expect(pairs.map(\.0) == ["z", "a", "s"])
        #expect(v["z"] == .int(7))
        #expect(v["a"] == .array([.double(1.5), .int(-2), .double(300), .bool(true), .null]))
        #expect(v["s"] == .string("é\n😀\""))
    }

    @Test("malformed JSON names the line and column")
    func jsonErrors() {
        #expect(throws: ChatTemplateError.invalidConfig("JSON at 2:3: expected ',' or '}' in object")) {
            try ChatJSON.parse("{\"a\": 1\n  \"b\": 2}")
        }
        #expect(throws: ChatTemplateError.self) { try ChatJSON.parse("[1, 2") }
        #expect(throws: ChatTemplateError.self) { try ChatJSON.parse("{} extra") }
    }

    @Test("tokenizer_config.json: string template, AddedToken objects, and bad values")
    func configLoading() throws {
        let config = try ChatTemplateConfig(json: [
            "chat_template": "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}",
            "bos_token": ["content": "<s>", "lstrip": false],
            "eos_token": "</s>",
            "pad_token": nil,
        ])
        #expect(config.templates.keys.sorted() == ["default"])
        #expect(config.specialTokens == ["bos_token": "<s>", "eos_token": "</s>"])
        let rendered = try config.template().render(messages: [["role": "user", "content": "hi"]])
        #expect(rendered == "<s>hi</s>")
        #expect(throws: ChatTemplateError.invalidConfig("'bos_token' is an object without a string 'content'")) {
            try ChatTemplateConfig(json: ["bos_token": ["lstrip": true]])
        }
        #expect(throws: ChatTemplateError.invalidConfig("'chat_template' must be a string or a list of {name, template}")) {
            try ChatTemplateConfig(json: ["chat_template": 3])
        }
        #expect(throws: ChatTemplateError.invalidConfig("chat_template[0] needs string 'name' and 'template'")) {
            try ChatTemplateConfig(json: ["chat_template": [["name": "default"]]])
        }
        #expect(throws: ChatTemplateError.invalidConfig("no chat template named 'default' (have: none)")) {
            try ChatTemplateConfig(json: [:]).template()
        }
    }

    @Test("an unreadable config file names its path")
    func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/tokenizer_config.json")
        do {
            _ = try ChatTemplateConfig(contentsOf: url)
            Issue.record("no error")
        } catch ChatTemplateError.invalidConfig(let message) {
            #expect(message.contains("/nonexistent/tokenizer_config.json"))
        } catch {
            Issue.record("wrong error \(error)")
        }
    }

    @Test("null message keys are dropped and reasoning fields aliased, as transformers does")
    func messageNormalization() throws {
        let message: ChatJSON = ["role": "assistant", "content": nil, "reasoning": "why", "tool_calls": nil]
        #expect(ChatTemplate.normalized(message)
            == ["thinking": "why", "role": "assistant", "reasoning": "why", "reasoning_content": "why"])
        let template = try ChatTemplate(source: "{{ messages[0] | tojson }}|{{ 'content' in messages[0] }}")
        #expect(try template.render(messages: [["role": "user", "content": nil]]) == #"{"role": "user"}|False"#)
    }

    @Test("template variables: tools is none when absent, extra overrides special tokens")
    func variables() throws {
        var template = try ChatTemplate(source: "{{ tools is none }} {{ tools is defined }} {{ documents }} {{ eos_token }} {{ add_generation_prompt }}")
        template.specialTokens = ["eos_token": "</s>"]
        #expect(try template.render(messages: []) == "True True None </s> False")
        #expect(try template.render(messages: [], tools: [["type": "function"]], addGenerationPrompt: true,
                                    extra: ["eos_token": "<eos>"]) == "False True None <eos> True")
    }

    @Test("strftime formats a fixed date, including the weekday and day of year")
    func strftime() {
        let leapDay = TemplateDate(year: 2024, month: 2, day: 29, hour: 23, minute: 5, second: 9)
        #expect(leapDay.format("%A %a %d %b %B %Y %y %m %j %H:%M:%S %I %p %-d %e %%")
            == "Thursday Thu 29 Feb February 2024 24 02 060 23:05:09 11 PM 29 29 %")
        #expect(TemplateDate(year: 1970, month: 1, day: 1).format("%A") == "Thursday")
        #expect(TemplateDate(year: 2026, month: 3, day: 14).format("%d %b %Y") == "14 Mar 2026")
    }
}
