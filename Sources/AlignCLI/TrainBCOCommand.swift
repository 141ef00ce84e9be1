// `align train bco`: Binary Classifier Optimization on unpaired `{prompt, completion, label}` data: the
// log-ratio reward is trained as a logistic classifier around δ, the running mean of rewards (BCOTrainer); with
// `udm_embedding_model` undesirable rows are weighted by a prompt density ratio (UDM).
import ArgumentParser

/// `align train bco --model DIR --dataset F [--config F] [overrides…]`.
public struct TrainBCOCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "bco",
        abstract: "Train with BCO on unpaired data (reward shift δ = running mean of rewards; UDM with udm_embedding_model).",
        discussion: "Writes output_dir/metrics.jsonl, checkpoint-N/ folders every --save-steps (δ included), and the final model.")

    @OptionGroup var options: TrainUnpairedOptions

    /// Creates the command.
    public init() {}

    /// Runs training.
    public func run() throws { try options.run(.bco) }
}
