// Accept/reject tables for each of the 25 IFEval instruction types: plain cases, Unicode, empty and adversarial
// formatting. Each expected verdict was checked against the reference checker classes (lm-eval 0.4.13's vendored
// google-research instructions.py, with the current file's any-character letter_frequency; langdetect 1.0.9).
import Testing
import AlignEval

struct Case: CustomTestStringConvertible, Sendable {
    let id: String
    let kwargs: [String: IFEvalKwargValue]
    let response: String
    let expected: Bool
    init(_ id: String, _ kwargs: [String: IFEvalKwargValue], _ response: String, _ expected: Bool) {
        self.id = id
        self.kwargs = kwargs
        self.response = response
        self.expected = expected
    }
    var testDescription: String { "\(id) on \(String(reflecting: response.prefix(40))) → \(expected)" }
}

enum InstructionTable {
    static let cases: [Case] = [
        // keywords:existence
        Case("keywords:existence", ["keywords": .strings(["mom", "Dad"])],
             "My mom and DAD.", true),
        Case("keywords:existence", ["keywords": .strings(["mom", "Dad"])],
             "a moment with daddy", true),
        Case("keywords:existence", ["keywords": .strings(["mom", "Dad"])],
             "only mom", false),
        Case("keywords:existence", ["keywords": .strings(["café"])],
             "CAFÉ au lait", true),
        // keywords:frequency
        Case("keywords:frequency", ["keyword": .string("ab"), "frequency": .int(2), "relation": .string("at least")],
             "abab", true),
        Case("keywords:frequency", ["keyword": .string("aba"), "frequency": .int(2), "relation": .string("at least")],
             "ababa", false),
        Case("keywords:frequency", ["keyword": .string("the"), "frequency": .int(2), "relation": .string("less than")],
             "The theme", false),
        // keywords:forbidden_words
        Case("keywords:forbidden_words", ["forbidden_words": .strings(["cat"])],
             "concatenate", true),
        Case("keywords:forbidden_words", ["forbidden_words": .strings(["cat"])],
             "A CAT!", false),
        Case("keywords:forbidden_words", ["forbidden_words": .strings(["cat"])],
             "cat_s and 猫cat", true),
        Case("keywords:forbidden_words", ["forbidden_words": .strings(["cat"])],
             "«cat»", false),
        // keywords:letter_frequency
        Case("keywords:letter_frequency", ["letter": .string("a"), "let_frequency": .int(3), "let_relation": .string("at least")],
             "AaA", true),
        Case("keywords:letter_frequency", ["letter": .string("a"), "let_frequency": .int(3), "let_relation": .string("at least")],
             "Ab", false),
        Case("keywords:letter_frequency", ["letter": .string("#"), "let_frequency": .int(2), "let_relation": .string("less than")],
             "##", false),
        Case("keywords:letter_frequency", ["letter": .string("#"), "let_frequency": .int(2), "let_relation": .string("less than")],
             "# one", true),
        Case("keywords:letter_frequency", ["letter": .string("ß"), "let_frequency": .int(1), "let_relation": .string("at least")],
             "STRASSE", false),
        // language:response_language
        Case("language:response_language", ["language": .string("de")],
             "Das ist ein kurzer deutscher Satz über das Wetter in Berlin und München.", true),
        Case("language:response_language", ["language": .string("de")],
             "This is a short English sentence about the weather in London.", false),
        Case("language:response_language", ["language": .string("de")],
             "12345 !!! 678", true),
        Case("language:response_language", ["language": .string("hi")],
             "भारत एक विशाल देश है और यहाँ कई भाषाएँ बोली जाती हैं।", true),
        // length_constraints:number_sentences
        Case("length_constraints:number_sentences", ["num_sentences": .int(3), "relation": .string("less than")],
             "Mr. Smith went to Washington. He arrived at 5 p.m. on Monday.", true),
        Case("length_constraints:number_sentences", ["num_sentences": .int(3), "relation": .string("less than")],
             "One. Two. Three.", false),
        Case("length_constraints:number_sentences", ["num_sentences": .int(2), "relation": .string("at least")],
             "(He left.) She stayed!", true),
        Case("length_constraints:number_sentences", ["num_sentences": .int(2), "relation": .string("at least")],
             "Version 2.5 is out... maybe", false),
        // length_constraints:number_paragraphs
        Case("length_constraints:number_paragraphs", ["num_paragraphs": .int(2)],
             "A\n***\nB", true),
        Case("length_constraints:number_paragraphs", ["num_paragraphs": .int(2)],
             "A\n***\n\n***\nB", false),
        Case("length_constraints:number_paragraphs", ["num_paragraphs": .int(2)],
             "***\nA\n***\nB\n***", true),
        Case("length_constraints:number_paragraphs", ["num_paragraphs": .int(2)],
             "A *** B *** C", false),
        // length_constraints:number_words
        Case("length_constraints:number_words", ["num_words": .int(3), "relation": .string("at least")],
             "naïve café-bar", true),
        Case("length_constraints:number_words", ["num_words": .int(3), "relation": .string("at least")],
             "नमस्ते दुनिया", false),
        Case("length_constraints:number_words", ["num_words": .int(2), "relation": .string("less than")],
             "", true),
        // length_constraints:nth_paragraph_first_word
        Case("length_constraints:nth_paragraph_first_word", ["num_paragraphs": .int(2), "nth_paragraph": .int(2), "first_word": .string("however")],
             "Intro.\n\n\"However, yes.\"", true),
        Case("length_constraints:nth_paragraph_first_word", ["num_paragraphs": .int(2), "nth_paragraph": .int(2), "first_word": .string("however")],
             "Intro.\n\nHowever\n\nThird", false),
        Case("length_constraints:nth_paragraph_first_word", ["num_paragraphs": .int(2), "nth_paragraph": .int(2), "first_word": .string("however")],
             "\n\nIntro\n\nHowever", false),
        // detectable_content:number_placeholders
        Case("detectable_content:number_placeholders", ["num_placeholders": .int(2)],
             "[name] at [address]", true),
        Case("detectable_content:number_placeholders", ["num_placeholders": .int(2)],
             "[name\n] [x]", false),
        // detectable_content:postscript
        Case("detectable_content:postscript", ["postscript_marker": .string("P.S.")],
             "Hi.\nP.S. bye", true),
        Case("detectable_content:postscript", ["postscript_marker": .string("P.S.")],
             "note p. s. bye", true),
        Case("detectable_content:postscript", ["postscript_marker": .string("P.S.")],
             "PS: bye", false),
        Case("detectable_content:postscript", ["postscript_marker": .string("P.P.S")],
             "P.S. only", false),
        Case("detectable_content:postscript", ["postscript_marker": .string("P.P.S")],
             "x\nP.P.S later", true),
        // detectable_format:number_bullet_lists
        Case("detectable_format:number_bullet_lists", ["num_bullets": .int(2)],
             "* a\n* b", true),
        Case("detectable_format:number_bullet_lists", ["num_bullets": .int(2)],
             "- a\n- b\n---", false),
        Case("detectable_format:number_bullet_lists", ["num_bullets": .int(2)],
             "**bold**\n* a\n  * b", true),
        Case("detectable_format:number_bullet_lists", ["num_bullets": .int(2)],
             "*\n* b", false),
        // detectable_format:constrained_response
        Case("detectable_format:constrained_response", [:],
             "My answer is yes.", true),
        Case("detectable_format:constrained_response", [:],
             "my answer is yes.", false),
        Case("detectable_format:constrained_response", [:],
             "My answer is maybe", false),
        // detectable_format:number_highlighted_sections
        Case("detectable_format:number_highlighted_sections", ["num_highlights": .int(2)],
             "*a* and **b**", true),
        Case("detectable_format:number_highlighted_sections", ["num_highlights": .int(1)],
             "* * and *\n*", false),
        // detectable_format:multiple_sections
        Case("detectable_format:multiple_sections", ["section_spliter": .string("Section"), "num_sections": .int(2)],
             "Section 1\nA\nSection 2\nB", true),
        Case("detectable_format:multiple_sections", ["section_spliter": .string("Section"), "num_sections": .int(2)],
             "SECTION 1\nA\nSECTION 2\nB", false),
        Case("detectable_format:multiple_sections", ["section_spliter": .string("Section"), "num_sections": .int(1)],
             "Section one", false),
        // detectable_format:json_format
        Case("detectable_format:json_format", [:],
             "```json\n{\"a\": 1}\n```", true),
        Case("detectable_format:json_format", [:],
             "{'a': 1}", false),
        Case("detectable_format:json_format", [:],
             " NaN ", true),
        Case("detectable_format:json_format", [:],
             "[1, 2,]", false),
        Case("detectable_format:json_format", [:],
             "\"tab\there\"", false),
        Case("detectable_format:json_format", [:],
             "{\"é\": \"\\ud800\"} ", true),
        // detectable_format:title
        Case("detectable_format:title", [:],
             "<<My Title>>\ntext", true),
        Case("detectable_format:title", [:],
             "<< >> and <<a\nb>>", false),
        Case("detectable_format:title", [:],
             "<<  >> x >>", true),
        // combination:two_responses
        Case("combination:two_responses", [:],
             "A\n******\nB", true),
        Case("combination:two_responses", [:],
             "A\n******\nA ", false),
        Case("combination:two_responses", [:],
             "A\n******\n\n******\nB", false),
        // combination:repeat_prompt
        Case("combination:repeat_prompt", ["prompt_to_repeat": .string("Say hi.")],
             "say HI. Hi!", true),
        Case("combination:repeat_prompt", ["prompt_to_repeat": .string("Say hi.")],
             "Hi. Say hi.", false),
        // startend:end_checker
        Case("startend:end_checker", ["end_phrase": .string("Any other questions?")],
             "Done. any other questions?\"", true),
        Case("startend:end_checker", ["end_phrase": .string("Any other questions?")],
             "Any other questions? Yes.", false),
        // change_case:capital_word_frequency
        Case("change_case:capital_word_frequency", ["capital_frequency": .int(3), "capital_relation": .string("at least")],
             "I DON'T know", true),
        Case("change_case:capital_word_frequency", ["capital_frequency": .int(2), "capital_relation": .string("at least")],
             "U.S.A. is big. Hello World", false),
        Case("change_case:capital_word_frequency", ["capital_frequency": .int(2), "capital_relation": .string("less than")],
             "NASA and the ESA (EU)", false),
        // change_case:english_capital
        Case("change_case:english_capital", [:],
             "THIS IS A SHORT TEST OF THE WHOLE SYSTEM AND IT WORKS WELL.", true),
        Case("change_case:english_capital", [:],
             "THIS IS A SHORT test", false),
        Case("change_case:english_capital", [:],
             "DAS IST EIN KURZER DEUTSCHER SATZ ÜBER DAS WETTER IN MÜNCHEN.", false),
        // change_case:english_lowercase
        Case("change_case:english_lowercase", [:],
             "this is a simple sentence in english about the weather today.", true),
        Case("change_case:english_lowercase", [:],
             "This is a simple sentence in english about the weather today.", false),
        Case("change_case:english_lowercase", [:],
             "123 !!!", false),
        // punctuation:no_comma
        Case("punctuation:no_comma", [:],
             "a, b", false),
        Case("punctuation:no_comma", [:],
             "a，b ، c", true),
        // startend:quotation
        Case("startend:quotation", [:],
             "  \"Hello\"\n", true),
        Case("startend:quotation", [:],
             "“Hello”", false),
        Case("startend:quotation", [:],
             "\"", false),
    ]
}

@Suite("IFEval instruction accept/reject tables")
struct IFEvalInstructionTests {
    @Test("each instruction's verdict on hand-written responses", arguments: InstructionTable.cases)
    func verdict(_ c: Case) throws {
        let tools = try SharedTools.tools.get()
        let instruction = try IFEvalInstruction(
            id: c.id, kwargs: IFEvalKwargs(key: 1, id: c.id, values: c.kwargs), prompt: "")
        #expect(instruction.isFollowed(by: PyText(py: c.response), tools: tools) == c.expected)
    }

    @Test("the tables cover all 25 registered instruction ids")
    func coverage() {
        #expect(IFEvalInstruction.ids.count == 25)
        #expect(Set(InstructionTable.cases.map(\.id)) == Set(IFEvalInstruction.ids))
        for id in IFEvalInstruction.ids {
            let verdicts = Set(InstructionTable.cases.filter { $0.id == id }.map(\.expected))
            #expect(verdicts == [true, false], "\(id) needs both an accepted and a rejected case")
        }
    }
}
