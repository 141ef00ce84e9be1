// IFEvalScorer: strict and loose instruction following, per prompt and in total.
//
// Mirrors google-research `instruction_following_eval/evaluation_lib.py` (`test_instruction_following_strict`,
// `test_instruction_following_loose`, `print_report`), identical in lm-eval 0.4.13 `tasks/ifeval/utils.py`:
//   strict: each instruction checked on the raw response; an all-whitespace response follows nothing;
//   loose:  an instruction is followed if any non-blank variant passes — the response, without '*', without its
//           first line, last line or both (lines split on "\n", re-joined and stripped), and those three without '*'.
// prompt-level accuracy = share of prompts with every instruction followed; instruction-level = share of all
// instruction instances followed (micro average). Zhou et al. 2023, arXiv 2311.07911, section 3.
import Foundation

/// The verdicts for one prompt (the reference's `OutputExample`, strict and loose side by side).
public struct IFEvalPromptResult: Sendable, Equatable {
    /// The prompt key.
    public let key: Int
    /// The prompt text.
    public let prompt: String
    /// The scored response.
    public let response: String
    /// Instruction ids, parallel to `strict` and `loose`.
    public let instructionIds: [String]
    /// `follow_instruction_list` of the strict and the loose scorer.
    public let strict: [Bool]
    public let loose: [Bool]
    /// Every instruction followed, strict (`follow_all_instructions`).
    public var strictAll: Bool { strict.allSatisfy { $0 } }
    /// Every instruction followed, loose.
    public var looseAll: Bool { loose.allSatisfy { $0 } }
}

/// Scores responses against IFEval prompts.
///
/// ```swift
/// let scorer = try IFEvalScorer()
/// let prompts = try IFEvalData.readPrompts(promptsURL)
/// let report = try scorer.score(try IFEvalData.readItems(responses: responsesURL, prompts: prompts))
/// print(report.summary.promptLevelStrict)
/// ```
public struct IFEvalScorer: Sendable {
    /// Sentence splitter, word tokenizer and language detector.
    public let tools: IFEvalTools

    /// A scorer using the resources bundled with AlignEval.
    public init() throws { tools = try IFEvalTools() }

    /// A scorer with the given tools.
    public init(tools: IFEvalTools) { self.tools = tools }

    /// The eight response variants of the loose scorer, in the reference's order.
    public static func looseVariants(_ response: PyText) -> [PyText] {
        let lines = response.pySplit(["\n"])
        let n = lines.count
        let first = PyText.pyJoinLines(lines[min(1, n)...]).pyStrip()
        let last = PyText.pyJoinLines(lines[..<max(n - 1, 0)]).pyStrip()
        let both = n >= 2 ? PyText.pyJoinLines(lines[1..<(n - 1)]).pyStrip() : []
        return [response, response.pyRemoving("*"), first, last, both,
                first.pyRemoving("*"), last.pyRemoving("*"), both.pyRemoving("*")]
    }

    /// Scores one prompt.
    /// - Throws: `AlignEvalError.unknownInstruction` / `.invalidKwarg` for bad instruction data.
    public func score(_ item: IFEvalItem) throws -> IFEvalPromptResult {
        let p = item.prompt
        let instructions = try zip(p.instructionIdList, p.kwargs).map { id, kw in
            try IFEvalInstruction(id: id, kwargs: IFEvalKwargs(key: p.key, id: id, values: kw), prompt: p.prompt)
        }
        let response = PyText(py: item.response)
        let blank = response.pyStrip().isEmpty
        let strict = instructions.map { !blank && $0.isFollowed(by: response, tools: tools) }
        // Variant 0 is the response itself, already checked by the strict pass (a blank response has only blank
        // variants), so loose reuses that verdict and checks the other seven.
        let others = IFEvalScorer.looseVariants(response).dropFirst().filter { !$0.pyStrip().isEmpty }
        let loose = instructions.indices.map { k in
            strict[k] || others.contains { instructions[k].isFollowed(by: $0, tools: tools) }
        }
        return IFEvalPromptResult(key: p.key, prompt: p.prompt, response: item.response,
                                  instructionIds: p.instructionIdList, strict: strict, loose: loose)
    }

    /// Scores every item; results keep the input order.
    /// - Parameter threads: worker threads (prompts are independent; the tools are immutable and shared).
    public func score(_ items: [IFEvalItem], threads: Int = 1) throws -> IFEvalReport {
        guard threads > 1, items.count > 1 else { return IFEvalReport(results: try items.map(score)) }
        var slots = [Result<IFEvalPromptResult, Error>?](repeating: nil, count: items.count)
        slots.withUnsafeMutableBufferPointer { out in
            let chunks = min(threads, items.count)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                // Each worker writes a disjoint strided set of slots.
                for k in stride(from: c, to: items.count, by: chunks) { out[k] = Result { try score(items[k]) } }
            }
        }
        return IFEvalReport(results: try slots.map { slot in
            guard let slot else { throw AlignEvalError.badResource(name: "scorer", reason: "a worker skipped a prompt") }
            return try slot.get()
        })
    }
}
