// `align train posft`: POSFT / PoFT (Fan et al. 2024, arXiv 2412.12865) on SFT rows {prompt, completion}
// (AlignData.POSFTExample) with one or more frozen aligned model folders (--aligned-model, repeatable). Each aligned
// model scores every completion with its own tokenizer (length-normalized log-likelihood, computed once before
// training, no truncation); RankedScoreTrainer's `.posft` then trains −log σ(β·(s_θ − mean s_A)). Options are
// TrainListwiseOptions'; key `beta` (default 1). UNVERIFIED: β, the mean-of-scores aggregation and the absence of a
// CE term (training-objectives.md §14).
import AlignData
import AlignModels
import AlignTokenizers
import AlignTraining
import ArgumentParser
import Foundation

/// `align train posft --model DIR --dataset F --aligned-model DIR [--aligned-model DIR …] [--beta B] …`.
public struct TrainPOSFTCommand: ParsableCommand {
    /// Command name and help.
    public static let configuration = CommandConfiguration(
        commandName: "posft",
        abstract: "Train with POSFT (Fan et al. 2024) on {prompt, completion} rows against frozen aligned models.",
        discussion: "Each --aligned-model folder scores the completions with its own tokenizer (mean log-likelihood per token); "
            + "the loss prefers the trained model's score over their mean. UNVERIFIED: β (default 1), the aggregation "
            + "(mean of scores) and the absence of a CE term.")
    @OptionGroup var options: TrainListwiseOptions
    @Option(name: .customLong("aligned-model"), help: "A frozen aligned model folder (repeatable; at least one).")
    var alignedModels: [String] = []
    @Option(help: "β (default 1).") var beta: Double?
    /// Creates the command.
    public init() {}

    /// At least one aligned model.
    public func validate() throws {
        guard !alignedModels.isEmpty else { throw ValidationError("--aligned-model: give at least one aligned model folder") }
    }

    /// Runs training.
    public func run() throws {
        let (training, maxLength, values) = try options.rankedSettings(defaults: ["beta": 1],
                                                                       extra: beta.map { [("beta", ChatJSON.double($0))] } ?? [])
        let aligned = alignedModels
        try options.executeRanked(.posft(POSFTLoss(beta: values["beta"] ?? 1)), training: training, maxLength: maxLength,
                                  load: { try Self.scored(POSFTExample.load($0), alignedModels: aligned, say: { print($0) }) }) { print($0) }
    }

    /// The rows with `scores` = each aligned model's length-normalized log-likelihood of the completion.
    static func scored(_ examples: [RankedExample], alignedModels: [String], say: (String) -> Void) throws -> [RankedExample] {
        var out = examples
        for path in alignedModels {
            let dir = URL(fileURLWithPath: path)
            let tokenizer = try PreferenceTokenizer(directory: dir)
            let rows = try tokenizer.tokenizeRanked(examples, maxLength: nil).examples  // no truncation: nothing dropped
            let model = try DecoderModel.load(directory: dir)
            let scores = try RankedScoreTrainer.lengthNormalizedLogLikelihoods(
                model, rows, padID: try TrainRunFiles.padID(tokenizer, modelDirectory: dir))
            for i in out.indices { out[i].scores.append(scores[i]) }
            say("aligned model \(dir.path): mean per-token log-likelihood \(scores.reduce(0, +) / Double(max(scores.count, 1)))")
        }
        return out
    }
}
