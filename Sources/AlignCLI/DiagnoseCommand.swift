// `align diagnose ches|entanglement|topk`: per-pair training diagnostics of a preference dataset under a model
// (AlignTraining.PreferenceDiagnostics): CHES / LN-CHES (which pairs will displace the chosen likelihood),
// the chosen/rejected gradient inner-product ratio (gradient entanglement), and top-k mass and entropy of the
// model's next-token distributions over the completions (over-optimisation indicators across checkpoints).
import AlignData
import AlignModels
import AlignTraining
import ArgumentParser
import Foundation

/// Groups the diagnostics.
public struct DiagnoseCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "diagnose", abstract: "Training diagnostics of a preference dataset under a model.",
        subcommands: [DiagnoseCHESCommand.self, DiagnoseEntanglementCommand.self, DiagnoseTopKCommand.self])
    public init() {}
}

struct DiagnoseCHESCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ches", abstract: "Per-pair CHES and LN-CHES (Razin et al. 2024).",
        discussion: "The highest LN-CHES pairs are the ones most likely to lower the chosen log-prob under DPO; the paper filters them out.")
    @OptionGroup var options: DiagnoseOptions
    func run() throws { print(try output()) }
    func output() throws -> String {
        try options.report(summaryKey: "ln_ches") { m, pair in
            let s = try PreferenceDiagnostics.ches(m, pair)
            return ["ches": s.ches, "ln_ches": s.lengthNormalized]
        }
    }
}

struct DiagnoseEntanglementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entanglement", abstract: "Per-pair chosen/rejected gradient inner product, norms, cosine and ratio.",
        discussion: "ratio = ⟨∇⁺,∇⁻⟩/min(‖∇⁺‖²,‖∇⁻‖²) over every parameter; > 1 means one log-prob moves the wrong way under a margin loss (Yuan et al. 2024).")
    @OptionGroup var options: DiagnoseOptions
    func run() throws { print(try output()) }
    func output() throws -> String {
        try options.report(summaryKey: "ratio") { m, pair in
            let e = try PreferenceDiagnostics.entanglement(m, pair)
            return ["inner": e.inner, "norm_chosen": e.chosenNorm, "norm_rejected": e.rejectedNorm, "cosine": e.cosine, "ratio": e.ratio]
        }
    }
}

struct DiagnoseTopKCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topk", abstract: "Mean top-k probability mass and entropy over the chosen and rejected completions.",
        discussion: "Both falling across checkpoints signals likelihood over-optimisation (Shi et al. 2024).")
    @OptionGroup var options: DiagnoseOptions
    @Option(help: "k of the top-k indicators.") var k = 10
    func run() throws { print(try output()) }
    func output() throws -> String {
        try options.report(summaryKey: "topk_entropy_chosen") { m, pair in
            let c = try PreferenceDiagnostics.topK(m, prompt: pair.prompt, completion: pair.chosen, k: k)
            let r = try PreferenceDiagnostics.topK(m, prompt: pair.rejectedPrompt ?? pair.prompt, completion: pair.rejected, k: k)
            return ["topk_mass_chosen": c.mass, "topk_entropy_chosen": c.entropy,
                    "topk_mass_rejected": r.mass, "topk_entropy_rejected": r.entropy]
        }
    }
}

/// The model, data and output options every diagnostic shares, and the per-pair loop.
struct DiagnoseOptions: ParsableArguments {
    @Option(help: "Model folder (config.json, model.safetensors, tokenizer.json).") var model: String
    @Option(help: "Paired preference JSONL {prompt, chosen, rejected} (TRL's format).") var data: String
    @Option(help: "Only the first N pairs.") var limit: Int?
    @Option(help: "Maximum tokens per sequence (TRL's max_length; longer pairs are truncated keep_start).") var maxLength: Int?
    @Flag(help: "Print one JSON object per pair, then a summary object.") var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be ≥ 1") }
    }

    /// Tokenizes the data, measures every pair; a line (or JSON object) per pair, then a summary of `summaryKey`.
    func report(summaryKey: String, _ measure: (DecoderModel, TokenizedPreference) throws -> [String: Double]) throws -> String {
        var examples = try PreferenceExample.load(URL(fileURLWithPath: data))
        if let limit { examples = Array(examples.prefix(limit)) }
        let dir = URL(fileURLWithPath: model)
        let tokenized = try PreferenceTokenizer(directory: dir).tokenize(examples, maxLength: maxLength, truncationMode: .keepStart)
        let m = try DecoderModel.load(directory: dir)
        var values: [Double] = []
        var lines: [String] = []
        for (i, pair) in tokenized.examples.enumerated() {
            let fields = try measure(m, pair)
            values.append(fields[summaryKey] ?? .nan)
            lines.append(json ? jsonObject(fields.merging(["pair": Double(i)]) { a, _ in a }) : line(i, fields))
        }
        let summary = quantiles(values)
        lines.append(json ? jsonObject(summary) : "\(summaryKey) over \(values.count) pairs: "
            + summary.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.4g", $0.value))" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    func line(_ i: Int, _ fields: [String: Double]) -> String {
        "pair \(i): " + fields.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.6g", $0.value))" }.joined(separator: "  ")
    }

    func jsonObject(_ fields: [String: Double]) -> String {
        "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \(number($0.key, $0.value))" }
            .joined(separator: ", ") + "}"
    }

    /// JSON number text: the pair index as an integer, non-finite values as null.
    func number(_ key: String, _ v: Double) -> String {
        guard v.isFinite else { return "null" }
        return key == "pair" ? "\(Int(v))" : "\(v)"
    }

    /// Mean, min, p50, p95 and max of the summary field.
    func quantiles(_ v: [Double]) -> [String: Double] {
        let s = v.filter(\.isFinite).sorted()
        guard !s.isEmpty else { return [:] }
        func q(_ p: Double) -> Double { s[min(s.count - 1, Int((p * Double(s.count - 1)).rounded()))] }
        return ["mean": s.reduce(0, +) / Double(s.count), "min": s[0], "p50": q(0.5), "p95": q(0.95), "max": s[s.count - 1]]
    }
}
