// Parity with llguidance 1.9.1: allowed-token counts per step on the 32k tokenizer, from
// Tests/Fixtures/grammar/mask_counts.json (written by scripts/fixtures/grammar_mask_counts.py).
// Where llguidance has a free choice (count > 1) the counts must be equal. Where the grammar forces
// the next bytes, llguidance allows only the canonical token (count 1) while AlignKit allows every
// token that stays inside the forced bytes — so there AlignKit's count must be ≥ 1 and include the
// document's token; the difference is documented in Docs/grammar.md.
import Foundation
import Testing
import AlignGrammar
import AlignTestSupport

@Suite("Parity with llguidance")
struct ParityTests {
    struct Case: Decodable { let document: String; let token_ids: [Int]; let allowed_counts: [Int]; let schema: AnyJSON }
    struct AnyJSON: Decodable { }
    struct File: Decodable { let cases: [Case] }

    @Test("allowed-token counts per step match llguidance where it has a free choice")
    func counts() throws {
        guard let tok = TestVocab.tok32k else { Issue.record("tokenizer-32k.json missing"); return }
        let raw = try Data(contentsOf: FixturePaths.fixture("grammar/mask_counts.json"))
        let file = try JSONDecoder().decode(File.self, from: raw)
        guard case .array(let cases)? = try JSONParser.parse(Array(raw))["cases"] else { Issue.record("bad fixture"); return }
        #expect(file.cases.count == 3)
        for (c, v) in zip(file.cases, cases) {
            guard let schema = v["schema"] else { continue }
            let g = try CompiledGrammar(JSONSchemaGrammar.compile(schema, options: JSONSchemaOptions(whitespace: .compact)).grammar)
            let m = GrammarMatcher(grammar: g, vocabulary: tok.vocab)
            var ours: [Int] = []
            for (step, expected) in c.allowed_counts.enumerated() {
                let mask = m.computeMask()
                let n = mask.reduce(0) { $0 + $1.nonzeroBitCount }
                ours.append(n)
                if expected > 1 { #expect(n == expected, "\(c.document) step \(step): \(n) vs llguidance \(expected)") }
                if step < c.token_ids.count {
                    let id = c.token_ids[step]
                    #expect(mask[id >> 5] & (1 << UInt32(id & 31)) != 0)
                    #expect(m.acceptToken(id))
                } else {
                    #expect(m.isAccepting)
                }
            }
            print("PARITY \(c.document) ours \(ours) llguidance \(c.allowed_counts)")
        }
    }
}
