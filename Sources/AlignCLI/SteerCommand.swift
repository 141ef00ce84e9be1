// `align steer build|sweep`: activation steering (DecoderModel+Steering.swift). `build` measures a
// direction as CAA does — the mean difference of the last-token residual at a layer between positive
// and negative prompts (JSONL, one {"prompt": "..."} per line) — and writes it as safetensors;
// `sweep` prints, per coefficient, the mean reward of the steered completions beside a helpfulness
// proxy (the steered model's log-prob and perplexity on the unsteered model's own greedy completions).
// `align generate --steer FILE:LAYER:SCALE` applies a direction while generating.
// Only parses, calls AlignDecoding (Steering/) and prints.
import ArgumentParser
import Foundation
import AlignDecoding
import AlignModels
import AlignTokenizers

/// `align steer …`.
public struct SteerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "steer", abstract: "Activation steering: build a direction, sweep its coefficient.",
        subcommands: [SteerBuildCommand.self, SteerSweepCommand.self])
    public init() {}
}

/// A model folder's decoder and tokenizer, and prompt texts encoded as `align generate` encodes them.
struct SteerModel {
    let model: DecoderModel
    let tokenizer: Tokenizer
    let directory: URL

    init(path: String) throws {
        directory = URL(fileURLWithPath: path)
        model = try DecoderModel.load(directory: directory)
        tokenizer = try Tokenizer(contentsOf: directory.appendingPathComponent("tokenizer.json"))
    }

    /// Ids of `text` with the tokenizer's special tokens; an error names the file when nothing is left.
    func encode(_ text: String, file: String) throws -> [Int32] {
        let ids = tokenizer.encode(text, addSpecialTokens: true).ids.map { Int32($0) }
        guard !ids.isEmpty else { throw ValidationError("\(file): prompt \(jsonQuoted(text)) encodes to no tokens") }
        return ids
    }
}

/// `align steer build --model DIR --positive F.jsonl --negative F.jsonl --layer L --out F.safetensors`.
struct SteerBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Mean difference of last-token residuals at a layer (CAA) → safetensors.")

    @Option(help: "Model folder: config.json, model.safetensors, tokenizer.json.")
    var model: String
    @Option(help: "JSONL of prompts showing the behaviour to add, one {\"prompt\": \"...\"} per line.")
    var positive: String
    @Option(help: "JSONL of contrasting prompts.")
    var negative: String
    @Option(help: "The block (0-based) whose output is read: transformers' hidden_states[L + 1].")
    var layer: Int
    @Option(help: "Output file (safetensors: tensor 'direction' [C], metadata 'layer').")
    var out: String

    func run() throws { try execute { print($0) } }

    func execute(write: (String) -> Void) throws {
        let m = try SteerModel(path: model)
        let pos = try PromptFile.read(path: positive).map { try m.encode($0, file: positive) }
        let neg = try PromptFile.read(path: negative).map { try m.encode($0, file: negative) }
        let d = try SteeringDirection.meanDifference(model: m.model, positives: pos, negatives: neg, layer: layer)
        try d.write(to: URL(fileURLWithPath: out))
        let norm = d.direction.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        write("direction at layer \(layer): \(d.direction.count) values, norm \(String(format: "%.6g", norm)), "
            + "from \(pos.count) positive and \(neg.count) negative prompts → \(out)")
    }
}

/// `align steer sweep --model DIR --direction F --scales 0,2,4,8 --prompts F.jsonl --reward SPEC`.
struct SteerSweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep", abstract: "Reward vs. helpfulness proxy as the steering coefficient grows.")

    @Option(help: "Model folder: config.json, model.safetensors, tokenizer.json [, generation_config.json].")
    var model: String
    @Option(help: "Direction file from `align steer build`.")
    var direction: String
    @Option(help: "The block to steer (default: the layer stored in the direction file).")
    var layer: Int?
    @Option(help: "Comma-separated coefficients (negative ones as --scales=-4,0,4).")
    var scales = "0,2,4,8"
    @Option(help: "JSONL file, one {\"prompt\": \"...\"} object per line.")
    var prompts: String
    @Option(help: "Reward: keyword:a,b | exclude:a,b | length:MIN-MAX[:words|characters] | regex:PATTERN | json-schema:FILE (repeat to sum).")
    var reward: [String] = []
    @Option(help: "Maximum new tokens per completion (default 32).")
    var maxNewTokens = 32
    @Flag(help: "Print one JSON object per scale instead of a table.")
    var json = false

    func validate() throws {
        if reward.isEmpty { throw ValidationError("give at least one --reward") }
        if maxNewTokens < 1 { throw ValidationError("--max-new-tokens must be ≥ 1") }
    }

    func run() throws { try execute { print($0) } }

    func execute(write: (String) -> Void) throws {
        let m = try SteerModel(path: model)
        let d = try SteeringDirection(contentsOf: URL(fileURLWithPath: direction))
        let texts = try PromptFile.read(path: prompts)
        let config = m.directory.appendingPathComponent("generation_config.json")
        var p = FileManager.default.fileExists(atPath: config.path) ? try GenerateParameters(contentsOf: config) : GenerateParameters()
        p.maxNewTokens = maxNewTokens
        p.doSample = false
        let sweep = SteeringSweep(direction: d.direction, layer: layer ?? d.layer, scales: try SteerSpec.scales(scales), parameters: p)
        let rows = try sweep.run(model: m.model, prompts: texts, promptIDs: try texts.map { try m.encode($0, file: prompts) },
                                 decoder: m.tokenizer, reward: try RewardSpec.parse(reward))
        if json {
            rows.forEach { write(Self.jsonLine($0)) }
        } else {
            write("steering \(direction) at layer \(sweep.layer), \(texts.count) prompts, greedy \(maxNewTokens) tokens; "
                + "reference = the unsteered model's greedy completion")
            write(Self.table(rows))
        }
    }

    /// {"scale", "mean_reward", "reference_logprob", "reference_perplexity", "reference_match", "mean_tokens"}.
    static func jsonLine(_ r: SteeringSweepRow) -> String {
        func n(_ v: Double) -> String { v.isFinite ? String(v) : "null" }
        return "{\"scale\": \(n(Double(r.scale))), \"mean_reward\": \(n(r.meanReward)), "
            + "\"reference_logprob\": \(n(r.referenceLogProb)), \"reference_perplexity\": \(n(r.referencePerplexity)), "
            + "\"reference_match\": \(n(r.referenceMatch)), \"mean_tokens\": \(n(r.meanTokens))}"
    }

    /// An aligned text table, one line per scale.
    static func table(_ rows: [SteeringSweepRow]) -> String {
        let header = ["scale", "mean reward", "ref logprob/token", "ref perplexity", "same as unsteered", "mean tokens"]
        let cells = rows.map { r in
            [String(format: "%g", r.scale), String(format: "%.4f", r.meanReward), String(format: "%.4f", r.referenceLogProb),
             String(format: "%.4g", r.referencePerplexity), String(format: "%.0f%%", r.referenceMatch * 100),
             String(format: "%.1f", r.meanTokens)]
        }
        let widths = header.indices.map { i in ([header] + cells).map { $0[i].count }.max() ?? 0 }
        func line(_ c: [String]) -> String {
            zip(c, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return ([line(header)] + cells.map(line)).joined(separator: "\n")
    }
}
