// `align merge`: writes a full model folder from
//   --adapter DIR   a base model plus a PEFT LoRA adapter, folded in (W += scale · B·A, as PEFT's merge_and_unload);
//   --soup DIR[:W]… a weighted average of two or more checkpoints of one architecture — a model soup, the reference
//                   SALSA uses ("SALSA: Soup-based Alignment Learning for Stronger Adaptation in RLHF", Chegini et al.
//                   2024: the average of two independently fine-tuned SFT models as the KL anchor). Weights are
//                   normalised to sum 1 (none given: uniform).
// The output folder gets model.safetensors plus the first model's config and tokenizer files, staged as a whole in a
// sibling folder and moved into place when complete (StagedFolder), so a failed merge leaves no partial model.
import AlignModels
import AlignTensor
import ArgumentParser
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Fold a LoRA adapter into its base model, or average checkpoints (a model soup).")

    @Option(help: "Base model folder (with --adapter).") var model: String?
    @Option(help: "PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors).") var adapter: String?
    @Option(parsing: .upToNextOption, help: "Model folders to average, each optionally DIR:WEIGHT.") var soup: [String] = []
    @Option(help: "Output model folder.") var out: String

    func validate() throws {
        switch (model, adapter, soup.isEmpty) {
        case (.some, .some, true): return
        case (nil, nil, false) where soup.count >= 2: return
        default: throw ValidationError("give --model with --adapter, or --soup with two or more model folders")
        }
    }

    func run() throws { print(try output()) }

    func output() throws -> String {
        let outURL = URL(fileURLWithPath: out)
        if let model, let adapter {
            let base = URL(fileURLWithPath: model)
            let m = try DecoderModel.load(directory: base)
            let config = try m.loadLoRA(directory: URL(fileURLWithPath: adapter))
            m.mergeLoRA()
            try StagedFolder.write(to: outURL) { try TrainRunFiles.saveFinalModel(m, from: base, to: $0, chatTemplateSource: nil) }
            return "merged the r \(config.rank) adapter \(adapter) into \(model) → \(out)"
        }
        let parts = try soup.map(Self.parseSoupEntry)
        let total = parts.reduce(0) { $0 + $1.weight }
        let models = try parts.map { try DecoderModel.load(directory: URL(fileURLWithPath: $0.path)) }
        try Self.average(models, weights: parts.map { $0.weight / total }, names: parts.map(\.path))
        try StagedFolder.write(to: outURL) {
            try TrainRunFiles.saveFinalModel(models[0], from: URL(fileURLWithPath: parts[0].path), to: $0, chatTemplateSource: nil)
        }
        let desc = parts.map { "\($0.path) × \(String(format: "%.4g", $0.weight / total))" }.joined(separator: " + ")
        return "averaged \(desc) → \(out)"
    }

    /// "DIR" or "DIR:WEIGHT" (the last colon splits, so paths may contain colons when a weight is given).
    static func parseSoupEntry(_ s: String) throws -> (path: String, weight: Double) {
        guard let colon = s.lastIndex(of: ":"), let w = Double(s[s.index(after: colon)...]) else { return (s, 1) }
        guard w > 0, w.isFinite else { throw ValidationError("--soup \(s): weight must be a positive number") }
        return (String(s[..<colon]), w)
    }

    /// Overwrites models[0]'s parameters with Σ_i weights[i] · models[i]'s (same names and shapes required).
    static func average(_ models: [DecoderModel], weights: [Double], names: [String]) throws {
        let first = models[0].namedParameters()
        for (m, name) in zip(models.dropFirst(), names.dropFirst()) {
            let other = m.namedParameters()
            guard other.map(\.0) == first.map(\.0), zip(other, first).allSatisfy({ $0.1.shape == $1.1.shape }) else {
                throw ValidationError("--soup: \(name) has other parameters or shapes than \(names[0])")
            }
        }
        let all = models.map { $0.namedParameters().map(\.1) }
        for p in first.indices {
            var acc = [Double](repeating: 0, count: all[0][p].count)
            for (i, params) in all.enumerated() {
                let x = params[p].scalars
                for j in acc.indices { acc[j] += weights[i] * Double(x[j]) }  // Float64 sum: order-independent enough
            }
            all[0][p].withUnsafeMutableBuffer { d in for j in acc.indices { d[j] = Float(acc[j]) } }
        }
    }
}
