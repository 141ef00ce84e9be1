// `align eval prefs`: held-out preference accuracy and margins of a policy's implicit DPO reward
// β (log π − log π_ref), or of a reward model's scores, on paired {prompt, chosen, rejected} JSONL.
import AlignEval
import AlignModels
import ArgumentParser
import Foundation

/// `align eval prefs --model DIR [--ref-model DIR] --data F.jsonl [--beta 0.1] [--json]`.
public struct EvalPrefsCommand: ParsableCommand {
    /// Command name, help and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "prefs",
        abstract: "Preference accuracy and margins of a policy (implicit reward) or of reward-model scores.",
        discussion: """
            --data is JSONL of {"prompt", "chosen", "rejected"} texts (TRL's paired format). Without --model the \
            policy's sequence log-probs come from the columns "chosen_logps"/"rejected_logps"; without --ref-model the \
            reference's come from "ref_chosen_logps"/"ref_rejected_logps". With --scores, a reward model's scores \
            {"chosen_score", "rejected_score"} per line are evaluated instead (no model is run). \
            Accuracy counts a tie as not correct, as TRL's rewards/accuracies does.
            """)

    @Option(name: .long, help: "Policy model folder (config.json, model.safetensors, tokenizer.json).")
    var model: String?

    @Option(name: .customLong("ref-model"), help: "Reference model folder.")
    var refModel: String?

    @Option(name: .long, help: "Paired preference JSONL.")
    var data: String?

    @Option(name: .long, help: "Reward-model scores JSONL {\"chosen_score\", \"rejected_score\"} (instead of --data).")
    var scores: String?

    @Option(name: .long, help: "β of the implicit reward β (log π − log π_ref) (TRL's default 0.1).")
    var beta: Double = 0.1

    @Option(name: .customLong("batch-size"), help: "Pairs per forward pass.")
    var batchSize: Int = 4

    @Flag(name: .long, help: "Print one JSON object with TRL's metric names (rewards/accuracies, rewards/margins, …).")
    var json = false

    /// Creates the command (argument-parser fills the options).
    public init() {}

    /// Exactly one of --data and --scores; β > 0; a positive batch size.
    public func validate() throws {
        guard (data == nil) != (scores == nil) else { throw ValidationError("give exactly one of --data and --scores") }
        guard scores == nil || (model == nil && refModel == nil) else { throw ValidationError("--scores takes no models") }
        guard beta > 0, beta.isFinite else { throw ValidationError("--beta must be a positive number") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    /// Evaluates and prints.
    public func run() throws { print(try output()) }

    /// The report text (a table, or one JSON line).
    public func output() throws -> String {
        if let scores {
            let s = try MetricInputs.scorePairs(URL(fileURLWithPath: scores), keys: ("chosen_score", "rejected_score"))
            return try render(try PreferenceAccuracy(chosenRewards: s.first, rejectedRewards: s.second), source: "reward-model scores")
        }
        let dataURL = URL(fileURLWithPath: data ?? "")
        let pairs = try PreferencePair.read(dataURL)
        let policy = try model.map { LogpSource.model(try DecoderModel.load(directory: URL(fileURLWithPath: $0))) } ?? .precomputed
        // The same folder twice (e.g. checking a freshly initialized policy) is loaded once.
        let reference = refModel == model ? policy
            : try refModel.map { LogpSource.model(try DecoderModel.load(directory: URL(fileURLWithPath: $0))) } ?? .precomputed
        let folder = model ?? refModel
        let scorer = try folder.map { try PreferenceScorer(modelDirectory: URL(fileURLWithPath: $0), batchSize: batchSize) }
        let eval = try PreferenceEvaluation(pairs: pairs, policy: policy, reference: reference, scorer: scorer,
                                            beta: beta, path: dataURL.path)
        return try render(try eval.accuracy(), source: "implicit reward, β = \(beta)")
    }

    /// Formats an accuracy summary.
    func render(_ a: PreferenceAccuracy, source: String) throws -> String {
        if json {
            var o: [String: Any] = ["pairs": a.pairs, "ties": a.ties, "rewards/accuracies": a.accuracy,
                                    "rewards/margins": a.meanMargin, "rewards/chosen": a.meanChosen,
                                    "rewards/rejected": a.meanRejected]
            if scores == nil { o["beta"] = beta }
            return try EvalMetricsFormat.jsonLine(o)
        }
        return [
            "\(a.pairs) pairs (\(source)); \(a.ties) ties, counted as not correct",
            EvalMetricsFormat.header("", ["value"]),
            EvalMetricsFormat.row("accuracy", [a.accuracy]),
            EvalMetricsFormat.row("mean margin", [a.meanMargin]),
            EvalMetricsFormat.row("mean chosen", [a.meanChosen]),
            EvalMetricsFormat.row("mean rejected", [a.meanRejected]),
        ].joined(separator: "\n")
    }
}
