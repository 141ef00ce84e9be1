// Hostile or odd templates end in a typed error, never a crash: nesting is bounded in the parser, macro
// recursion is bounded in the interpreter, and extreme slice steps or integer overflow are handled.
import Testing
@testable import AlignTokenizers

@Suite("Chat template robustness")
struct ChatTemplateRobustnessTests {
    @Test("deeply nested expressions and blocks are syntax errors, not stack overflows")
    func deepNesting() throws {
        let parens = "{{ " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + " }}"
        #expect(throws: ChatTemplateError.self) { try ChatTemplate(source: parens) }
        let negations = "{{ " + String(repeating: "not ", count: 5000) + "x }}"
        #expect(throws: ChatTemplateError.self) { try ChatTemplate(source: negations) }
        let minus = "{{ " + String(repeating: "- ", count: 5000) + "1 }}"
        #expect(throws: ChatTemplateError.self) { try ChatTemplate(source: minus) }
        let blocks = String(repeating: "{% if true %}", count: 5000) + String(repeating: "{% endif %}", count: 5000)
        #expect(throws: ChatTemplateError.self) { try ChatTemplate(source: blocks) }
        // Moderate nesting, as real templates have, is fine.
        let fine = String(repeating: "{% if true %}", count: 20) + "ok" + String(repeating: "{% endif %}", count: 20)
        #expect(try ChatTemplate(source: fine).render(messages: []) == "ok")
    }

    @Test("a macro that calls itself forever is a runtime error at the macro")
    func runawayRecursion() throws {
        let template = try ChatTemplate(source: "\n{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
        #expect(throws: ChatTemplateError.runtime(message: "macro 'f' recursed deeper than 48 calls", line: 2, column: 1)) {
            try template.render(messages: [])
        }
    }

    @Test("extreme slice steps and integer overflow do not trap")
    func extremes() throws {
        let slice = try ChatTemplate(source: "{{ 'abcdef'[1::9223372036854775807] }}|{{ [1, 2, 3][::-9223372036854775807] }}")
        #expect(try slice.render(messages: []) == "b|[3]")
        let overflow = try ChatTemplate(source: "{{ 9223372036854775807 + 1 }}")
        #expect(throws: ChatTemplateError.self) { try overflow.render(messages: []) }
        let product = try ChatTemplate(source: "{{ 4611686018427387904 * 4 }}")
        #expect(throws: ChatTemplateError.self) { try product.render(messages: []) }
    }

    @Test("huge repetitions, ranges, widths and precisions are errors or clamps, not crashes")
    func resourceBounds() throws {
        for source in ["{{ 'ab' * 100000000000 }}", "{{ [1] * 100000000000 }}", "{{ range(10000000000) | length }}",
                       "{{ '%999999999d' % 1 }}", "{{ '%.999999999f' % 1.5 }}", "{{ '%d' % 1e300 }}",
                       "{{ range(1, 2, 0) }}"] {
            let template = try ChatTemplate(source: source)
            #expect(throws: ChatTemplateError.self, "\(source)") { try template.render(messages: []) }
        }
        #expect(try ChatTemplate(source: "{{ 2.5 | round(1000000000) }}|{{ 2.5 | round(-1000000000) }}").render(messages: [])
            == "2.5|0.0")
        #expect(try ChatTemplate(source: "{{ 'a\nb' | indent(-5, true) }}|{{ [1] | tojson(indent=-3) }}").render(messages: [])
            == "a\nb|[\n1\n]")
        let zeroStep = try ChatTemplate(source: "\n  {{ range(1, 2, 0) }}")
        #expect(throws: ChatTemplateError.runtime(message: "range() arg 3 must not be zero", line: 2, column: 11)) {
            try zeroStep.render(messages: [])
        }
    }

    @Test("random templates from a fixed seed never crash the lexer, parser or interpreter")
    func garbage() {
        var generator = SplitMix64(seed: 20_260_314)  // fixed seed: the same 300 inputs every run
        let alphabet = Array("{}%#-+()[]'\"\\|.,:=~!<>*/ \n\tabcif endforsetin0123456789é😀")
        for _ in 0..<300 {
            let length = Int.random(in: 0..<60, using: &generator)
            let source = String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
            if let template = try? ChatTemplate(source: source) {
                _ = try? template.render(messages: [["role": "user", "content": "x"]])
            }
        }
    }
}

/// A tiny seeded generator (SplitMix64) so the garbage inputs are reproducible.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
