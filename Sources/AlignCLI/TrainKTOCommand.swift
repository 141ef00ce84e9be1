// `align train kto`: Kahneman-Tversky Optimization on unpaired `{prompt, completion, label}` data with TRL
// 1.16 KTOTrainer semantics (TrainUnpairedSettings.swift lists the keys and defaults).
import AlignTokenizers
import ArgumentParser

/// `align train kto --model DIR --dataset F [--config F] [overrides…]`.
public struct TrainKTOCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "kto",
        abstract: "Train with KTO on unpaired data (TRL KTOTrainer semantics; loss_type kto or apo_zero_unpaired).",
        discussion: "Writes output_dir/metrics.jsonl (one JSON object per optimizer step), checkpoint-N/ folders "
            + "every --save-steps, and the final model. Data order is sequential (KTO's KL estimate needs it).")

    @OptionGroup var options: TrainUnpairedOptions
    @Option(help: "kto or apo_zero_unpaired.") var lossType: String?
    @Option(help: "Weight of desirable rows' losses (default 1).") var desirableWeight: Double?
    @Option(help: "Weight of undesirable rows' losses (default 1).") var undesirableWeight: Double?

    /// Creates the command.
    public init() {}

    /// Runs training.
    public func run() throws {
        var extra: [(String, ChatJSON)] = []
        if let v = lossType { extra.append(("loss_type", .string(v))) }
        if let v = desirableWeight { extra.append(("desirable_weight", .double(v))) }
        if let v = undesirableWeight { extra.append(("undesirable_weight", .double(v))) }
        try options.run(.kto, extra: extra)
    }
}
