// Parity with transformers' apply_chat_template(tokenize=False): every case in
// Tests/Fixtures/chat-templates/cases.json (made by scripts/fixtures/make_chat_template_fixtures.py) must
// render character for character, or raise the same raise_exception message.
import Foundation
import Testing
import AlignTestSupport
@testable import AlignTokenizers

@Suite("Chat templates match transformers")
struct ChatTemplateFixtureTests {
    static func loadCases() throws -> ChatJSON {
        let url = FixturePaths.fixture("chat-templates/cases.json")
        return try ChatJSON.parse(String(contentsOf: url, encoding: .utf8))
    }

    static let fixedDate = TemplateDate(year: 2026, month: 3, day: 14, hour: 9, minute: 26, second: 53)

    /// Renders one fixture case; returns nil when it matches, else a description of the difference.
    static func check(_ c: ChatJSON, template: ChatTemplate) -> String? {
        var template = template
        template.fixedDate = fixedDate
        if case .object(let pairs)? = c["special_tokens"] {
            template.specialTokens = Dictionary(uniqueKeysWithValues: pairs.compactMap { k, v in v.stringValue.map { (k, $0) } })
        }
        guard case .array(let messages)? = c["messages"] else { return "case has no messages" }
        var tools: [ChatJSON]?
        if case .array(let t)? = c["tools"] { tools = t }
        var extra: [String: ChatJSON] = [:]
        if case .object(let pairs)? = c["extra"] { for (k, v) in pairs { extra[k] = v } }
        let agp = c["add_generation_prompt"] == .bool(true)
        let label = "\(c["family"]?.stringValue ?? "?")/\(c["name"]?.stringValue ?? "?")/agp=\(agp)"
        do {
            let out = try template.render(messages: messages, tools: tools, addGenerationPrompt: agp, extra: extra)
            if let expected = c["expected"]?.stringValue {
                return out == expected ? nil : "\(label): got\n\(out.debugDescription)\nexpected\n\(expected.debugDescription)"
            }
            return "\(label): rendered but transformers raised \(c["error"]?.stringValue ?? "?")"
        } catch ChatTemplateError.raised(let message)
            where c["error_type"] == "TemplateError" && message == c["error"]?.stringValue
        {
            return nil
        } catch ChatTemplateError.runtime where c["error_type"] != nil && c["error_type"] != "TemplateError" {
            return nil  // jinja2 failed too (undefined value, type error); messages are Python's, not compared
        } catch {
            return "\(label): \(error)"
        }
    }

    @Test("every family and message shape renders identically to transformers 5.23.0")
    func allFamilies() throws {
        let doc = try Self.loadCases()
        guard case .array(let cases)? = doc["cases"] else { Issue.record("no cases"); return }
        var compiled: [String: ChatTemplate] = [:]
        var failures: [String] = []
        var passedByFamily: [String: Int] = [:]
        for c in cases {
            guard let file = c["template"]?.stringValue, let family = c["family"]?.stringValue else {
                failures.append("malformed case"); continue
            }
            if compiled[file] == nil {
                let url = FixturePaths.fixture("chat-templates/templates/\(file)")
                compiled[file] = try ChatTemplate(source: String(contentsOf: url, encoding: .utf8))
            }
            if let failure = Self.check(c, template: compiled[file]!) { failures.append(failure) } else {
                passedByFamily[family, default: 0] += 1
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) cases differ:\n\(failures.prefix(5).joined(separator: "\n\n"))")
        #expect(cases.count == 460)
        #expect(passedByFamily.count == 26)
        #expect(passedByFamily.values.reduce(0, +) == cases.count)
    }

    @Test("a named template list in tokenizer_config.json selects default or tool_use like transformers")
    func namedTemplatesFromConfig() throws {
        let config = try ChatTemplateConfig(contentsOf: FixturePaths.fixture("chat-templates/config-named/tokenizer_config.json"))
        #expect(config.specialTokens == ["bos_token": "<s>", "eos_token": "<|im_end|>"])
        #expect(Set(config.templates.keys) == ["default", "tool_use"])
        let doc = try Self.loadCases()
        guard case .array(let all)? = doc["config_cases"] else { Issue.record("no config cases"); return }
        let cases = all.filter { $0["family"] == "config-named" }
        #expect(cases.count == 2)
        for c in cases {
            let withTools = c["tools"] != nil && c["tools"] != .null
            let template = try config.template(withTools: withTools)
            #expect(Self.check(c, template: template) == nil)
        }
    }

    @Test("chat_template.jinja and additional_chat_templates/ in a model folder win over tokenizer_config.json")
    func templateFilesInFolder() throws {
        let config = try ChatTemplateConfig(directory: FixturePaths.fixture("chat-templates/config-files"))
        #expect(Set(config.templates.keys) == ["default", "tool_use"])
        #expect(config.specialTokens == ["bos_token": "<s>", "eos_token": "</s>"])
        let doc = try Self.loadCases()
        guard case .array(let all)? = doc["config_cases"] else { Issue.record("no config cases"); return }
        let cases = all.filter { $0["family"] == "config-files" }
        #expect(cases.count == 2)
        for c in cases {
            let withTools = c["tools"] != nil && c["tools"] != .null
            #expect(Self.check(c, template: try config.template(withTools: withTools)) == nil)
        }
    }

    @Test("a folder without tokenizer_config.json or templates has no template to pick")
    func emptyFolder() throws {
        let config = try ChatTemplateConfig(directory: FixturePaths.fixture("chat-templates/templates"))
        #expect(config.templates.isEmpty)
        #expect(throws: ChatTemplateError.self) { try config.template() }
    }

    @Test("continuing the final message cuts the prompt where transformers does")
    func continueFinalMessage() throws {
        let doc = try Self.loadCases()
        guard case .array(let cases)? = doc["continue_cases"] else { Issue.record("no continue cases"); return }
        #expect(cases.count == 10)
        for c in cases {
            let file = c["template"]?.stringValue ?? ""
            var template = try ChatTemplate(source: String(contentsOf: FixturePaths.fixture("chat-templates/templates/\(file)"),
                                                           encoding: .utf8))
            template.fixedDate = Self.fixedDate
            if case .object(let pairs)? = c["special_tokens"] {
                template.specialTokens = Dictionary(uniqueKeysWithValues: pairs.compactMap { k, v in v.stringValue.map { (k, $0) } })
            }
            guard case .array(let messages)? = c["messages"], let field = c["continue_final_message"]?.stringValue else {
                Issue.record("malformed continue case"); continue
            }
            let out = try template.render(messages: messages, continuingFinalMessage: field)
            #expect(out == c["expected"]?.stringValue, "\(c["family"]?.stringValue ?? "?")")
        }
    }

    @Test("continuing with nothing to continue is a typed input error")
    func continueErrors() throws {
        let template = try ChatTemplate(source: "{% for m in messages %}{{ m.content }}{% endfor %}")
        #expect(throws: ChatTemplateError.self) { try template.render(messages: [], continuingFinalMessage: "content") }
        #expect(throws: ChatTemplateError.invalidInput("the final message has no \"content\" to continue")) {
            try template.render(messages: [["role": "assistant"]], continuingFinalMessage: "content")
        }
        #expect(throws: ChatTemplateError.invalidInput("\"reasoning_content\" is not a field the chat template reads")) {
            try template.render(messages: [["role": "assistant", "reasoning_content": "x"]],
                                continuingFinalMessage: "reasoning_content")
        }
        let dropping = try ChatTemplate(source: "{% for m in messages %}{{ m.role }}{% endfor %}{# content #}")
        #expect(throws: ChatTemplateError.invalidInput("the final message does not appear in the rendered chat")) {
            try dropping.render(messages: [["role": "assistant", "content": "abc"]], continuingFinalMessage: "content")
        }
    }

    @Test("generation-tagged templates report the assistant spans transformers' AssistantTracker records")
    func assistantSpans() throws {
        let doc = try Self.loadCases()
        guard case .array(let cases)? = doc["assistant_span_cases"] else { Issue.record("no span cases"); return }
        #expect(cases.count == 5)
        for c in cases {
            let file = c["template"]?.stringValue ?? ""
            var template = try ChatTemplate(source: String(contentsOf: FixturePaths.fixture("chat-templates/templates/\(file)"),
                                                           encoding: .utf8))
            if case .object(let pairs)? = c["special_tokens"] {
                template.specialTokens = Dictionary(uniqueKeysWithValues: pairs.compactMap { k, v in v.stringValue.map { (k, $0) } })
            }
            guard case .array(let messages)? = c["messages"], case .array(let spans)? = c["spans"] else {
                Issue.record("malformed span case"); continue
            }
            let expectedSpans: [Range<Int>] = spans.compactMap {
                guard case .array(let pair) = $0, case .int(let a)? = pair.first, case .int(let b)? = pair.last else { return nil }
                return a..<b
            }
            let (text, got) = try template.renderWithAssistantSpans(messages: messages)
            #expect(text == c["expected"]?.stringValue, "\(file)")
            #expect(got == expectedSpans, "\(file)")
            #expect(!got.isEmpty)
        }
    }

    @Test("53 more published templates (trl and axolotl wheels) render identically on a few shapes")
    func breadth() throws {
        let text = try String(contentsOf: FixturePaths.fixture("chat-templates/breadth.json"), encoding: .utf8)
        guard case .array(let cases)? = try ChatJSON.parse(text)["cases"] else { Issue.record("no cases"); return }
        var compiled: [String: ChatTemplate] = [:]
        var failures: [String] = []
        for c in cases {
            let file = c["template"]?.stringValue ?? ""
            if compiled[file] == nil {
                do {
                    compiled[file] = try ChatTemplate(source: String(contentsOf: FixturePaths.fixture("chat-templates/templates/\(file)"),
                                                                     encoding: .utf8))
                } catch {
                    failures.append("\(file): \(error)")
                    continue
                }
            }
            if let template = compiled[file], let failure = Self.check(c, template: template) { failures.append(failure) }
        }
        #expect(cases.count == 272)
        #expect(compiled.count == 53)
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) differ:\n\(failures.prefix(12).joined(separator: "\n\n"))")
    }
}
