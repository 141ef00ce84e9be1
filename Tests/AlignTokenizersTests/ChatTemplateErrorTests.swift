// Errors a user can hit with a chat template: syntax errors and unsupported constructs carry the line and
// column of the offending tag (hand-counted below), raise_exception surfaces its message verbatim, and
// runtime type errors point at the expression.
import Testing
@testable import AlignTokenizers

@Suite("Chat template errors")
struct ChatTemplateErrorTests {
    @Test("an unclosed if block is a syntax error at the opening tag's line and column")
    func unclosedIf() {
        let source = "{{ bos_token }}\n  {%- if messages %}\n{{ messages[0].content }}"
        #expect(throws: ChatTemplateError.self) { try ChatTemplate(source: source) }
        do {
            _ = try ChatTemplate(source: source)
        } catch ChatTemplateError.syntax(let message, let line, let column) {
            #expect(line == 2)
            #expect(column == 3)
            #expect(message.contains("unclosed 'if'"))
            #expect(message.contains("'endif'"))
        } catch {
            Issue.record("wrong error \(error)")
        }
    }

    @Test("an unclosed for loop and an unclosed {{ report their opening positions")
    func unclosedForAndVariable() {
        func position(_ source: String) -> (Int, Int)? {
            do { _ = try ChatTemplate(source: source) } catch ChatTemplateError.syntax(_, let line, let column) {
                return (line, column)
            } catch {}
            return nil
        }
        #expect(position("ab\ncd {% for m in messages %}{{ m }}")! == (2, 4))
        #expect(position("x\n\n  y {{ messages ")! == (3, 5))
        #expect(position("{# never closed")! == (1, 1))
        #expect(position("{{ 'unterminated }}")! == (1, 4))
        #expect(position("{% if x %}{% endfor %}")! == (1, 11))
    }

    @Test("an unsupported statement, filter, test or method is a typed error with its position")
    func unsupportedConstructs() throws {
        #expect(throws: ChatTemplateError.unsupported(construct: "statement '{% include %}'", line: 2, column: 1)) {
            try ChatTemplate(source: "ok\n{% include 'other.jinja' %}")
        }
        let filter = try ChatTemplate(source: "{{ 'x' | wordwrap }}")
        #expect(throws: ChatTemplateError.unsupported(construct: "filter 'wordwrap'", line: 1, column: 8)) {
            try filter.render(messages: [])
        }
        let test = try ChatTemplate(source: "{% if 1 is prime %}{% endif %}")
        #expect(throws: ChatTemplateError.unsupported(construct: "test 'prime'", line: 1, column: 9)) {
            try test.render(messages: [])
        }
        let method = try ChatTemplate(source: "\n {{ 'x'.zfill(3) }}")
        #expect(throws: ChatTemplateError.unsupported(construct: "method 'str.zfill()'", line: 2, column: 9)) {
            try method.render(messages: [])
        }
    }

    @Test("raise_exception surfaces the template's message")
    func raiseException() throws {
        let template = try ChatTemplate(source: """
            {%- for message in messages %}
                {%- if message.role not in ['user', 'assistant'] %}
                    {{- raise_exception('Unknown role: ' + message.role) }}
                {%- endif %}
            {%- endfor %}
            """)
        #expect(throws: ChatTemplateError.raised(message: "Unknown role: robot")) {
            try template.render(messages: [["role": "robot", "content": "beep"]])
        }
        #expect(try template.render(messages: [["role": "user", "content": "hi"]]) == "")
    }

    @Test("runtime type errors and undefined access point at the expression")
    func runtimeErrors() throws {
        let plus = try ChatTemplate(source: "a\n{{ 'x' + 1 }}")
        #expect(throws: ChatTemplateError.runtime(message: "unsupported operand type(s) for +: 'str' and 'int'",
                                                  line: 2, column: 4)) { try plus.render(messages: []) }
        let undefined = try ChatTemplate(source: "{{ nothing.content }}")
        #expect(throws: ChatTemplateError.runtime(message: "'nothing' is undefined", line: 1, column: 12)) {
            try undefined.render(messages: [])
        }
        let notIterable = try ChatTemplate(source: "{% for x in 5 %}{% endfor %}")
        #expect(throws: ChatTemplateError.runtime(message: "'int' object is not iterable", line: 1, column: 13)) {
            try notIterable.render(messages: [])
        }
    }

    @Test("error descriptions name the position")
    func descriptions() {
        #expect(ChatTemplateError.syntax(message: "m", line: 3, column: 7).description
            == "chat template syntax error at 3:7: m")
        #expect(ChatTemplateError.raised(message: "boom").description == "chat template raised: boom")
    }
}
