// The IFEval scorer against the google-research reference scorer on the released GPT-4 responses.
// Witness: ../shared/data/ifeval/expected/ (gpt4_reference_scores.json, gpt4_reference_per_prompt.jsonl),
// produced by the unmodified reference scorer (see ../shared/data/ifeval/README.md).
import Foundation
import Testing
import AlignEval
import AlignTestSupport

struct ExpectedPrompt: Decodable {
    let key: Int
    let instruction_id_list: [String]
    let strict_follow_instruction_list: [Bool]
    let loose_follow_instruction_list: [Bool]
    let strict_follow_all: Bool
    let loose_follow_all: Bool
}

struct ExpectedCount: Decodable { let correct: Int; let total: Int; let acc: Double }
struct ExpectedScores: Decodable {
    let prompt_level_strict: ExpectedCount
    let instruction_level_strict: ExpectedCount
    let prompt_level_loose: ExpectedCount
    let instruction_level_loose: ExpectedCount
}

/// Scores the GPT-4 file once for all tests of this suite.
enum GPT4Run {
    static let report: Result<IFEvalReport, Error> = Result {
        let prompts = try IFEvalData.readPrompts(FixturePaths.shared("ifeval/input_data.jsonl"))
        let items = try IFEvalData.readItems(
            responses: FixturePaths.shared("ifeval/input_response_data_gpt4_20231107_145030.jsonl"), prompts: prompts)
        return try IFEvalScorer(tools: SharedTools.tools.get()).score(items)
    }

    static func expectedPrompts() throws -> [ExpectedPrompt] {
        let text = try String(contentsOf: FixturePaths.shared("ifeval/expected/gpt4_reference_per_prompt.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(ExpectedPrompt.self, from: Data($0.utf8)) }
    }
}

enum SharedTools {
    static let tools: Result<IFEvalTools, Error> = Result { try IFEvalTools() }
}

@Suite("IFEval matches the google-research reference scorer")
struct IFEvalReferenceParityTests {
    @Test("all four scores on the GPT-4 responses equal the reference's")
    func fourScores() throws {
        let report = try GPT4Run.report.get()
        let expected = try JSONDecoder().decode(ExpectedScores.self,
            from: Data(contentsOf: FixturePaths.shared("ifeval/expected/gpt4_reference_scores.json")))
        #expect(report.promptStrict == IFEvalCount(followed: expected.prompt_level_strict.correct, total: 541))
        #expect(report.instructionStrict == IFEvalCount(followed: expected.instruction_level_strict.correct, total: 834))
        #expect(report.promptLoose == IFEvalCount(followed: expected.prompt_level_loose.correct, total: 541))
        #expect(report.instructionLoose == IFEvalCount(followed: expected.instruction_level_loose.correct, total: 834))
        #expect(report.promptStrict.followed == 417 && report.instructionStrict.followed == 698)
        #expect(report.promptLoose.followed == 431 && report.instructionLoose.followed == 714)
        #expect(report.metrics.map(\.value) == [expected.prompt_level_strict.acc, expected.instruction_level_strict.acc,
                                                expected.prompt_level_loose.acc, expected.instruction_level_loose.acc])
    }

    @Test("scoring on 2 threads gives the same per-prompt verdicts, in input order")
    func threads() throws {
        let prompts = try IFEvalData.readPrompts(FixturePaths.shared("ifeval/input_data.jsonl"))
        let items = try IFEvalData.readItems(
            responses: FixturePaths.shared("ifeval/input_response_data_gpt4_20231107_145030.jsonl"), prompts: prompts)
        let parallel = try IFEvalScorer(tools: SharedTools.tools.get()).score(Array(items.prefix(120)), threads: 2)
        let serial = try GPT4Run.report.get().results.prefix(120)
        #expect(parallel.results.map(\.key) == serial.map(\.key))
        #expect(parallel.results == Array(serial))
    }

    @Test("every per-prompt strict and loose verdict equals the reference's (541 prompts, 834 instructions)")
    func perPromptVerdicts() throws {
        let report = try GPT4Run.report.get()
        let expected = try GPT4Run.expectedPrompts()
        try #require(expected.count == 541 && report.results.count == 541)
        let byKey = Dictionary(uniqueKeysWithValues: report.results.map { ($0.key, $0) })
        var mismatches: [String] = []
        for e in expected {
            guard let r = byKey[e.key] else { mismatches.append("\(e.key): missing"); continue }
            #expect(r.instructionIds == e.instruction_id_list)
            if r.strict != e.strict_follow_instruction_list || r.loose != e.loose_follow_instruction_list {
                mismatches.append("\(e.key) \(e.instruction_id_list): strict \(r.strict) vs \(e.strict_follow_instruction_list), loose \(r.loose) vs \(e.loose_follow_instruction_list)")
            }
            #expect(r.strictAll == e.strict_follow_all && r.looseAll == e.loose_follow_all)
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) prompts differ:\n\(mismatches.joined(separator: "\n"))")
    }
}
