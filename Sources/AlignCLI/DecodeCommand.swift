// `align decode`: decoding-time alignment methods on a model folder — ARGS / tokenwise controlled
// decoding (`args`), blockwise controlled decoding (`cd`), DeAL (`deal`), Transfer Q* (`tq`, with an
// aligned --baseline model), self-consistency and Self-Agreement — for one prompt or each line of a
// JSONL file. Prints each completion, or with --json one object per prompt
// {"prompt", "completion", "token_ids", "finish_reason", "reward"} (+ "answer" and "votes" for
// self-consistency). Rewards use `align generate`'s --reward specs (plus json-schema:FILE).
// Only parses, calls AlignDecoding (Search/) and prints; Docs/decoding-time-alignment.md has the methods.
import ArgumentParser
import Foundation
import AlignDecoding
import AlignModels
import AlignTokenizers

/// `align decode --model DIR (--prompt S | --file F.jsonl) --strategy S [options]`.
public struct DecodeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Reward-guided and consensus decoding: ARGS, controlled decoding, DeAL, Transfer Q*, self-consistency.")

    /// The decoding-time alignment method.
    enum Strategy: String, ExpressibleByArgument, CaseIterable {
        case args, cd, deal, tq
        case selfConsistency = "self-consistency"
        case selfAgreement = "self-agreement"

        var needsReward: Bool { [.args, .cd, .deal, .tq].contains(self) }
    }

    @Option(help: "Model folder: config.json, model.safetensors, tokenizer.json [, generation_config.json].")
    var model: String
    @Option(help: "The prompt text.")
    var prompt: String?
    @Option(help: "A JSONL file, one {\"prompt\": \"...\"} object per line.")
    var file: String?
    @Option(help: "args | cd | deal | tq | self-consistency | self-agreement.")
    var strategy: Strategy
    @Option(help: "Reward: keyword:a,b | exclude:a,b | length:MIN-MAX[:words|characters] | regex:PATTERN | json-schema:FILE (repeat to sum).")
    var reward: [String] = []
    @Option(help: "Maximum new tokens (default: generation_config.json, else 20).")
    var maxNewTokens: Int?
    @Option(help: "Seed of the random streams (cd, stochastic args/tq, self-consistency sampling).")
    var seed: UInt64?
    @Option(help: "Sampling temperature: cd blocks, stochastic args selection, self-consistency paths (default 1).")
    var temperature: Float?
    @OptionGroup var search: SearchOptions
    @Option(help: "self-consistency: regex whose last match (group 1 if any) is the answer (default: the last number).")
    var answerRegex: String?
    @Option(help: "self-agreement: max tokens of the model's selection reply (default 32).")
    var selectionTokens: Int = 32
    @Flag(help: "Wrap each prompt as a user message in the model's chat template.")
    var chat = false
    @Flag(help: "Print one JSON object per prompt instead of text.")
    var json = false

    public init() {}

    public func validate() throws {
        if (prompt == nil) == (file == nil) { throw ValidationError("give exactly one of --prompt or --file") }
        if strategy.needsReward && reward.isEmpty { throw ValidationError("--strategy \(strategy.rawValue) needs --reward") }
        try search.validate(method: SearchMethod(rawValue: strategy.rawValue))
    }

    public func run() throws {
        try execute { text in FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    /// Runs the command, sending everything it prints to `write` (stdout in `run`, a buffer in tests).
    func execute(write: (String) -> Void) throws {
        let dir = URL(fileURLWithPath: model)
        let lm = try DecoderModel.load(directory: dir)
        let tokenizer = try Tokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json"))
        let template = chat ? try ChatTemplateConfig(directory: dir).template() : nil
        let context = DecodeContext(model: lm, tokenizer: tokenizer, template: template,
                                    parameters: try parameters(directory: dir),
                                    reward: reward.isEmpty ? nil : try RewardSpec.parse(reward),
                                    baseline: try search.loadBaseline())
        let texts = try prompt.map { [$0] } ?? PromptFile.read(path: file ?? "")
        for text in texts {
            let result = try decode(text, context: context)
            write(json ? result.jsonLine + "\n" : result.completion + "\n")
        }
    }

    /// generation_config.json (if present) overridden by the command-line options.
    func parameters(directory: URL) throws -> GenerateParameters {
        let config = directory.appendingPathComponent("generation_config.json")
        var p = FileManager.default.fileExists(atPath: config.path) ? try GenerateParameters(contentsOf: config)
                                                                    : GenerateParameters()
        if let maxNewTokens { p.maxNewTokens = maxNewTokens }
        if let seed { p.seed = seed }
        if let temperature { p.temperature = temperature }
        if strategy == .selfConsistency || strategy == .selfAgreement {
            p.doSample = true
            p.topK = 0  // paths from the full distribution (the paper's temperature sampling)
        }
        try p.validate()
        return p
    }
}
