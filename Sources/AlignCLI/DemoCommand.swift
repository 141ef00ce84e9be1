// `align demo` (also `align` with no arguments): the embedded default. Measures the bundled AlignKit-trained
// tiny Llama, aligns it with DPO + LoRA on the bundled preference set, measures again, and prints the
// before/after table; the adapter and report.json / report.html go to --output. The pipeline is
// AlignRecipes.DemoPipeline; this file only parses and prints.
import AlignRecipes
import ArgumentParser
import Foundation

/// `align demo [--output DIR] [--seed N] [--steps N]`.
public struct DemoCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Align the bundled tiny model end to end and show it worked (the default command).",
        discussion: "Measures held-out preference ranking accuracy and constraint satisfaction (CSR) of the bundled "
            + "model, trains DPO with LoRA on the bundled preference set, measures again, and writes the LoRA "
            + "adapter (PEFT layout), report.json and report.html into --output.")

    @Option(help: "Output folder for the adapter and the report.") var output = "alignkit-demo"
    @Option(help: "Seed of sampling, LoRA init and data order.") var seed: UInt64 = 0
    @Option(help: "DPO optimizer steps.") var steps: Int?
    @Option(help: "Peak learning rate.") var learningRate: Double?
    @Option(help: "DPO β.") var beta: Double?
    @Option(help: "Weight of the chosen responses' NLL added to DPO (RPO); 0 = plain DPO.") var sftWeight: Double?
    @Option(help: "Use at most N held-out prompts for CSR.") var heldoutPrompts: Int?
    @Option(help: "Use at most N held-out pairs for accuracy.") var heldoutPairs: Int?
    @Flag(help: "Print the report as JSON instead of the table.") var json = false

    public init() {}

    public func run() throws {
        var settings = DemoSettings()
        settings.seed = seed
        if let steps { settings.training.training.maxSteps = steps }
        if let learningRate { settings.training.training.learningRate = learningRate }
        if beta != nil || sftWeight != nil {
            settings.training.setObjective(beta: beta ?? settings.training.dpo.beta, sftWeight: sftWeight ?? settings.training.dpo.lossWeights?.last ?? 0)
        }
        settings.heldoutPromptLimit = heldoutPrompts
        settings.heldoutPairLimit = heldoutPairs
        try settings.training.training.validate()
        let pipeline = DemoPipeline(assets: try DemoAssets.bundled(), settings: settings)
        let out = URL(fileURLWithPath: output)
        let report = try pipeline.run(output: out) { if !json { print($0) } }
        let files = try report.write(to: out)
        if json {
            print(String(decoding: try Data(contentsOf: files.json), as: UTF8.self))
            return
        }
        print("\n" + report.textTable() + "\n")
        for e in report.aligned.examples.prefix(2) { print("aligned sample (\(e.id)):\(e.prompt) \(e.response)\n") }
        print(String(format: "done in %.0f s; adapter, report.json and report.html in %@", report.timings["total"] ?? 0, out.path))
    }
}
