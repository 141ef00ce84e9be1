// ConstraintScoring: CSR per sample against the bundled demo spec (≤ 20 words, no capital "I"), ACT pairing
// (best vs worst CSR, first sample on ties, no pair without disagreement), and spec covering of prompt ids.
import AlignEval
@testable import AlignRecipes
import Foundation
import Testing

@Suite struct ConstraintScoringTests {
    static let tools: Result<IFEvalTools, Error> = Result { try IFEvalTools() }

    func scoring(ids: [String]) throws -> ConstraintScoring {
        let spec = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/AlignRecipes/Resources/Demo/constraints.json")
        return try ConstraintScoring(specURL: spec, promptIDs: ids, tools: try Self.tools.get())
    }

    func samples(_ id: String, _ responses: [String]) -> PromptSamples {
        PromptSamples(prompt: RecipePrompt(id: id, text: "Q \(id)"), responses: responses)
    }

    @Test func csrPerSampleAgainstTheBundledSpec() throws {
        let long = Array(repeating: "word", count: 21).joined(separator: " ")
        let scored = try scoring(ids: ["a"]).score([samples("a", [" Sure, here it is.", " I think so.", " " + long, long + " I"])])
        // ≤ 20 words and no "I": both; one; one; none.
        #expect(scored[0].csr == [1, 0.5, 0.5, 0])
        let summary = ConstraintScoring.summary(scored)
        #expect(summary.meanCSR == 0.5)
        #expect(summary.allSatisfied == 0.25)
    }

    @Test func pairsTakeBestAgainstWorstAndSkipTies() {
        let s = [
            ScoredSamples(samples: samples("a", ["x0", "x1", "x2", "x3"]), csr: [0.5, 1, 0, 1]),
            ScoredSamples(samples: samples("b", ["y0", "y1"]), csr: [0.5, 0.5]),
            ScoredSamples(samples: samples("c", ["z0", "z1", "z2"]), csr: [0, 0, 0.5]),
        ]
        let pairs = ConstraintScoring.pairs(s)
        #expect(pairs.count == 2)
        #expect(pairs[0] == PreferencePair(prompt: "Q a", chosen: "x1", rejected: "x2"))
        #expect(pairs[1] == PreferencePair(prompt: "Q c", chosen: "z2", rejected: "z0"))
    }

    @Test func specCoversUnlistedPromptIDs() throws {
        let spec = Data(#"{"constraints": [{"type": "word_count", "max": 3}], "prompts": [{"id": "k", "constraints": [{"type": "case", "case": "lower"}]}]}"#.utf8)
        let covered = try ConstraintScoring.covering(spec, promptIDs: ["k", "new"], path: "spec.json")
        let built = try ConstraintSpec(json: covered, tools: try Self.tools.get())
        #expect(built.prompts.map(\.id) == ["k", "new"])
        #expect(built.prompts.map(\.constraints.count) == [2, 1])
    }

    @Test func malformedSpecNamesTheFile() {
        #expect(throws: AlignRecipesError.malformedLine(path: "s.json", line: 1, reason: "expected a JSON object (a constraint spec)")) {
            _ = try ConstraintScoring.covering(Data("[1]".utf8), promptIDs: [], path: "s.json")
        }
    }
}
