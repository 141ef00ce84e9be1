// Invariants on random adversarial text (no external witness needed): scoring never crashes, loose never accepts
// less than strict, and the result does not depend on scoring order or repetition. The generator draws from
// characters that drive the reference's regexes and Python string rules (markdown markers, brackets, quotes,
// CR/LF, U+2028, NBSP, U+001C, combining marks, Devanagari, CJK, emoji), with a fixed seed.
import Testing
import AlignEval

/// Every instruction id once, with valid kwargs (same list as scripts/fixtures/ifeval_adversarial.py).
let allInstructions: [(String, [String: IFEvalKwargValue])] = [
    ("keywords:existence", ["keywords": .strings(["a", "ß"])]),
    ("keywords:frequency", ["keyword": .string("P.S"), "frequency": .int(2), "relation": .string("at least")]),
    ("keywords:forbidden_words", ["forbidden_words": .strings(["no", "日本"])]),
    ("keywords:letter_frequency", ["letter": .string("#"), "let_frequency": .int(1), "let_relation": .string("less than")]),
    ("language:response_language", ["language": .string("hi")]),
    ("length_constraints:number_sentences", ["num_sentences": .int(2), "relation": .string("at least")]),
    ("length_constraints:number_paragraphs", ["num_paragraphs": .int(2)]),
    ("length_constraints:number_words", ["num_words": .int(4), "relation": .string("less than")]),
    ("length_constraints:nth_paragraph_first_word", ["num_paragraphs": .int(2), "nth_paragraph": .int(1), "first_word": .string("a")]),
    ("detectable_content:number_placeholders", ["num_placeholders": .int(1)]),
    ("detectable_content:postscript", ["postscript_marker": .string("P.S.")]),
    ("detectable_format:number_bullet_lists", ["num_bullets": .int(1)]),
    ("detectable_format:constrained_response", [:]),
    ("detectable_format:number_highlighted_sections", ["num_highlights": .int(1)]),
    ("detectable_format:multiple_sections", ["section_spliter": .string("Section"), "num_sections": .int(1)]),
    ("detectable_format:json_format", [:]),
    ("detectable_format:title", [:]),
    ("combination:two_responses", [:]),
    ("combination:repeat_prompt", ["prompt_to_repeat": .string("a b")]),
    ("startend:end_checker", ["end_phrase": .string("a.")]),
    ("change_case:capital_word_frequency", ["capital_frequency": .int(1), "capital_relation": .string("at least")]),
    ("change_case:english_capital", [:]),
    ("change_case:english_lowercase", [:]),
    ("punctuation:no_comma", [:]),
    ("startend:quotation", [:]),
]

private let pieces: [String] = [
    "*", "**", "***", "******", "-", "--", "[", "]", "<<", ">>", "\"", "'", "“", "»", ".", "...", "!", "?", ",", ":",
    "\n", "\n\n", "\r\n", "\u{2028}", " ", "\t", "\u{A0}", "\u{1C}", "a", "A", "b ", "Section 1", "P.S.", "p. s.",
    "DON'T", "U.S.", "Mr.", "e\u{301}", "हिंदी", "日本語", "😀", "{\"k\": [1, NaN]}", "```json", "My answer is yes.",
    "ΣΑΣ", "İ", "#", "ǅ", "5.5", "http://x.io/a", "a@b.cd",
]

private func randomResponse(_ rng: inout SplitMixForTests) -> String {
    (0..<rng.next(40)).map { _ in pieces[rng.next(pieces.count)] }.joined()
}

/// A tiny deterministic generator for test data.
struct SplitMixForTests {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(n))
    }
}

@Suite("IFEval invariants on random adversarial text")
struct IFEvalInvariantTests {
    @Test("300 random responses: no crash, loose ⊇ strict, blank ⇒ nothing followed, scoring is repeatable")
    func randomResponses() throws {
        let scorer = IFEvalScorer(tools: try SharedTools.tools.get())
        let prompt = IFEvalPrompt(key: 1, prompt: "p", instructionIdList: allInstructions.map(\.0),
                                  kwargs: allInstructions.map(\.1))
        var rng = SplitMixForTests(state: 2024)
        var items: [IFEvalItem] = []
        for _ in 0..<300 { items.append(IFEvalItem(prompt: prompt, response: randomResponse(&rng))) }
        let first = try scorer.score(items)
        for r in first.results {
            #expect(zip(r.strict, r.loose).allSatisfy { !$0 || $1 }, "loose must accept whatever strict accepts")
            if PyText(py: r.response).pyStrip().isEmpty { #expect(!r.strict.contains(true) && !r.loose.contains(true)) }
        }
        let again = try scorer.score(items.reversed())
        #expect(again.results.reversed().map(\.strict) == first.results.map(\.strict))
        #expect(again.results.reversed().map(\.loose) == first.results.map(\.loose))
        // ("P.S" above is a regex with a metacharacter, which exercises the ICU fallback for keywords.)
        // The generator reaches both verdicts for most instructions (a sanity check that the test has teeth).
        let mixed = allInstructions.indices.filter { k in Set(first.results.map { $0.loose[k] }).count == 2 }
        #expect(mixed.count >= 18)
    }
}
