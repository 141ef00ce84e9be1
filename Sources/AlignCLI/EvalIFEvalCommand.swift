// `align eval ifeval`: scores a responses file with AlignEval's IFEval scorer (google-research semantics) and
// prints the four accuracies and a per-instruction table, or lm-eval-named JSON with --json. With --model it
// first generates the responses (EvalIFEvalCommand+Generate.swift) and writes them to --responses.
import AlignEval
import ArgumentParser
import Foundation

/// `align eval ifeval --responses F.jsonl [--prompts F] [--json] [--per-prompt F]`, or with
/// `--model DIR --prompts F` to generate the responses into F.jsonl first.
public struct EvalIFEvalCommand: ParsableCommand {
    /// Command name, help and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "ifeval",
        abstract: "Score IFEval responses (strict and loose, prompt and instruction level).",
        discussion: """
        --responses holds one {"prompt", "response"} object per line (as input_response_data_*.jsonl); responses are \
        matched to --prompts (input_data.jsonl) by prompt text. Without --prompts, each response line must carry its \
        own key, instruction_id_list and kwargs. With --model DIR, responses to --prompts are generated first \
        (each prompt as a user message through the model's chat template, greedy, batched) and written to \
        --responses (replacing it), then scored.
        """)

    @Option(name: .long, help: "JSONL file of responses (with --model: where the generated responses are written).")
    var responses: String

    @Option(name: .long, help: "IFEval prompts (input_data.jsonl).")
    var prompts: String?

    @Flag(name: .long, help: "Print one JSON object with lm-eval's metric names.")
    var json = false

    @Option(name: .customLong("per-prompt"), help: "Write per-prompt strict and loose verdicts (JSONL) to this file.")
    var perPrompt: String?

    @Option(name: .long, help: "Worker threads (default: all active processors).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Score (and generate for) only the first N prompts of --prompts.")
    var limit: Int?

    @OptionGroup var generation: IFEvalGenerationOptions

    @Option(name: .customLong("bench-repeat"), help: ArgumentHelp(
        "Score the file this many times and print the best scoring throughput as a benchmark JSON line.",
        visibility: .hidden))
    var benchRepeat: Int?

    /// Creates the command (argument-parser fills the options).
    public init() {}

    /// Rejects non-positive counts and --model without --prompts.
    public func validate() throws {
        if let benchRepeat, benchRepeat < 1 { throw ValidationError("--bench-repeat must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if limit != nil && prompts == nil { throw ValidationError("--limit needs --prompts") }
        try generation.validate(hasPrompts: prompts != nil)
    }

    /// Generates (with --model), reads the files, scores them and prints (and writes `--per-prompt`).
    public func run() throws {
        try execute(
            write: { print($0) },
            progress: { FileHandle.standardError.write(Data("generated \($0) / \($1) responses\n".utf8)) })
    }

    /// Runs the command, sending the summary to `write` and generation progress to `progress`.
    func execute(write: (String) -> Void, progress: (Int, Int) -> Void = { _, _ in }) throws {
        let responsesURL = URL(fileURLWithPath: responses)
        let items: [IFEvalItem]
        if let prompts {
            var list = try IFEvalData.readPrompts(URL(fileURLWithPath: prompts))
            if let limit { list = Array(list.prefix(limit)) }
            if let model = generation.model {
                try generation.generate(model: model, prompts: list.map(\.prompt), to: responsesURL, progress: progress)
            }
            items = try IFEvalData.readItems(responses: responsesURL, prompts: list)
        } else {
            items = try IFEvalData.readSelfContainedItems(responsesURL)
        }
        let scorer = try IFEvalScorer()
        if let benchRepeat {
            write(try EvalIFEvalCommand.benchmark(scorer, items, repeats: benchRepeat, threads: threads))
            return
        }
        let report = try scorer.score(items, threads: threads)
        if let perPrompt { try writeFileAtomically(report.perPromptJSONLines(), to: URL(fileURLWithPath: perPrompt)) }
        write(json ? report.summaryJSON() : EvalIFEvalCommand.table(report))
    }

    /// Scoring throughput (strict + loose, all instructions) in responses per second of process CPU time, best
    /// of `repeats` runs, with resources already loaded; one line in the benchmark JSON format of DESIGN.md, plus
    /// the wall-clock seconds of the same best run. CPU time is the headline because the machine is shared.
    static func benchmark(_ scorer: IFEvalScorer, _ items: [IFEvalItem], repeats: Int, threads: Int) throws -> String {
        var bestCPU = Double.infinity, bestWall = Double.infinity
        for _ in 0..<repeats {
            let cpu0 = cpuSeconds(), wall0 = DispatchTime.now().uptimeNanoseconds
            _ = try scorer.score(items, threads: threads)
            bestCPU = min(bestCPU, cpuSeconds() - cpu0)
            bestWall = min(bestWall, Double(DispatchTime.now().uptimeNanoseconds - wall0) / 1e9)
        }
        let rate = Double(items.count) / bestCPU
        return "{\"bench\": \"ifeval\", \"case\": \"score \(items.count) responses, \(threads) thread(s)\", \"unit\": \"responses/s\", "
            + "\"alignkit\": \(rate), \"cpu_seconds\": \(bestCPU), \"wall_seconds\": \(bestWall), "
            + "\"wall_rate\": \(Double(items.count) / bestWall)}"
    }

    /// CPU time of this process (user + system), in seconds.
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The human-readable summary: four accuracies, then strict/loose accuracy per instruction id.
    static func table(_ r: IFEvalReport) -> String {
        func row(_ name: String, _ c: IFEvalCount) -> String {
            name.padding(toLength: 26, withPad: " ", startingAt: 0)
                + String(format: "%6d / %-6d %.4f", c.followed, c.total, c.accuracy)
        }
        var lines = ["IFEval: \(r.promptStrict.total) prompts, \(r.instructionStrict.total) instructions", ""]
        lines.append("metric".padding(toLength: 26, withPad: " ", startingAt: 0) + "followed / total  accuracy")
        lines.append(row("prompt_level_strict_acc", r.promptStrict))
        lines.append(row("inst_level_strict_acc", r.instructionStrict))
        lines.append(row("prompt_level_loose_acc", r.promptLoose))
        lines.append(row("inst_level_loose_acc", r.instructionLoose))
        lines.append("")
        lines.append("instruction".padding(toLength: 46, withPad: " ", startingAt: 0) + " count  strict   loose")
        for id in r.byInstruction.keys.sorted() {
            guard let c = r.byInstruction[id] else { continue }
            lines.append(id.padding(toLength: 46, withPad: " ", startingAt: 0)
                + String(format: " %5d  %.4f  %.4f", c.strict.total, c.strict.accuracy, c.loose.accuracy))
        }
        return lines.joined(separator: "\n")
    }
}
