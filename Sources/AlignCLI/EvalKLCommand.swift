// `align eval kl`: KL(policy‖reference) per token and per sequence of sampled completions — Schulman's
// k1/k2/k3 estimators and, when models are given, the exact KL from logits.
import AlignEval
import AlignModels
import AlignTokenizers
import ArgumentParser
import Foundation

/// `align eval kl (--model DIR --ref-model DIR --data F.jsonl | --logprobs F.jsonl) [--json]`.
public struct EvalKLCommand: ParsableCommand {
    /// Command name, help and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "kl",
        abstract: "KL(policy‖reference) of sampled completions: k1, k2, k3 and the exact KL from logits.",
        discussion: """
            With models: --data is JSONL of {"prompt", "completion"}, completions sampled from the policy at \
            temperature 1 (the estimators assume y ~ π). Without models: --logprobs is JSONL of {"logps": [..], \
            "ref_logps": [..]}, per-token log-probs of the completion tokens (no exact KL then). \
            Per token = Σ over all tokens / #tokens; per sequence = mean over sequences of the per-sequence sum.
            """)

    @Option(name: .long, help: "Policy model folder.")
    var model: String?

    @Option(name: .customLong("ref-model"), help: "Reference model folder.")
    var refModel: String?

    @Option(name: .long, help: "JSONL of {\"prompt\", \"completion\"} (with --model and --ref-model).")
    var data: String?

    @Option(name: .long, help: "JSONL of {\"logps\", \"ref_logps\"} per-token lists (instead of models).")
    var logprobs: String?

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    /// Creates the command (argument-parser fills the options).
    public init() {}

    /// Either all of --model, --ref-model, --data, or --logprobs alone.
    public func validate() throws {
        let withModels = model != nil && refModel != nil && data != nil
        let anyModel = model != nil || refModel != nil || data != nil
        guard (logprobs != nil && !anyModel) || (logprobs == nil && withModels) else {
            throw ValidationError("give --model, --ref-model and --data, or --logprobs alone")
        }
    }

    /// Evaluates and prints.
    public func run() throws { print(try output()) }

    /// The report text (a table, or one JSON line).
    public func output() throws -> String {
        let report: KLReport
        if let logprobs {
            let lp = try MetricInputs.tokenLogProbs(URL(fileURLWithPath: logprobs))
            report = try KLReport(policyLogProbs: lp.policy, referenceLogProbs: lp.reference)
        } else {
            let policyDir = URL(fileURLWithPath: model ?? ""), refDir = URL(fileURLWithPath: refModel ?? "")
            let tokenizerURL = policyDir.appendingPathComponent("tokenizer.json")
            let tokenizer: Tokenizer
            do { tokenizer = try Tokenizer(contentsOf: tokenizerURL) } catch {
                throw AlignEvalError.unreadableFile(path: tokenizerURL.path, reason: "\(error)")
            }
            report = try KLReport.evaluate(policy: try DecoderModel.load(directory: policyDir),
                                           reference: try DecoderModel.load(directory: refDir), tokenizer: tokenizer,
                                           samples: try MetricInputs.samples(URL(fileURLWithPath: data ?? "")))
        }
        return try render(report)
    }

    /// Formats the report.
    func render(_ r: KLReport) throws -> String {
        let rows = KLEstimator.allCases.compactMap { k in r.estimators[k].map { (k.rawValue, $0) } }
            + (r.exact.map { [("exact", $0)] } ?? [])
        if json {
            var o: [String: Any] = [:]
            for (name, s) in rows { o[name] = EvalMetricsFormat.json(s) }
            return try EvalMetricsFormat.jsonLine(o)
        }
        let first = rows.first?.1
        var lines = ["\(first?.sequenceSums.count ?? 0) sequences, \(first?.tokens ?? 0) completion tokens",
                     EvalMetricsFormat.header("estimator", ["per token", "per seq"])]
        lines += rows.map { EvalMetricsFormat.row($0.0, [$0.1.perToken, $0.1.perSequence]) }
        return lines.joined(separator: "\n")
    }
}
