// TPO triples (TPOExample.swift): the `reference` column is read with the pair's rules; with an implicit prompt the
// reference loses the shared prefix and must start with it; the gold sequence is tokenized like chosen (tiny-llama's
// tokenizer: prompt ids equal the pair's, EOS appended) and truncated with the pair.
import AlignData
import AlignTestSupport
import Foundation
import Testing

@Suite("TPO triples")
struct TPOExampleTests {
    @Test("explicit and implicit prompts; a reference not continuing the implicit prompt names file:line")
    func load() throws {
        let explicit = try TPOExample.load(try tempFile("t.jsonl", #"{"prompt": "Q:", "chosen": " a", "rejected": " b", "reference": " c"}"#))
        #expect(explicit[0].reference == .text(" c") && explicit[0].pair.prompt == .text("Q:"))
        let implicit = try TPOExample.load(try tempFile("t.jsonl", #"{"chosen": "Q: hi A: yes", "rejected": "Q: hi A: no", "reference": "Q: hi A: sure"}"#))
        #expect(implicit[0].pair.prompt == .text("Q: hi A:") && implicit[0].reference == .text(" sure"))
        let bad = try tempFile("t.jsonl", #"{"chosen": "Q: a", "rejected": "Q: b", "reference": "Q: c"}"# + "\n"
            + #"{"chosen": "Q: a", "rejected": "Q: b", "reference": "X: c"}"#)
        do {
            _ = try TPOExample.load(bad)
            Issue.record("accepted a reference that does not start with the prompt")
        } catch let AlignDataError.malformedRow(loc, reason) {
            #expect(loc.line == 2 && reason.contains("'reference' must start with the prompt"))
        }
        let missing = try tempFile("t.jsonl", #"{"prompt": "Q:", "chosen": " a", "rejected": " b"}"#)
        #expect(throws: AlignDataError.self) { _ = try TPOExample.load(missing) }
    }

    @Test("gold tokens: the pair's prompt ids, the reference with EOS; max_length cuts the gold as the pair")
    func tokenize() throws {
        let tok = try PreferenceTokenizer(directory: FixturePaths.shared("models/tiny-llama"))
        let ex = try TPOExample.load(FixturePaths.fixture("data/tpo_triples.jsonl"))
        let full = try tok.tokenizeTPO(ex, maxLength: nil)
        #expect(full.examples.count == 3 && full.droppedByLength.isEmpty)
        let first = full.examples[0]
        let eos = Int32(tok.tokenizer.encode(tok.eosToken, addSpecialTokens: false).ids.last ?? -1)
        #expect(first.goldPrompt == first.pair.prompt && first.gold.last == eos)
        #expect(first.gold.count > first.pair.chosen.count)  // " blue on a clear day." is longer than " blue."
        let cut = try tok.tokenizeTPO(ex, maxLength: first.pair.prompt.count + 2)
        #expect(cut.examples[0].gold == Array(first.gold.prefix(2)) && cut.examples[0].goldPrompt == first.goldPrompt)
    }
}
