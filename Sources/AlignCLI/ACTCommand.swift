// `align act`: the verify → pair → train loop (ACT, iterated as in I-SHEEP) on any model folder — sample K
// responses per prompt, score each by constraint satisfaction (CSR), pair best against worst, train with
// DPO (+ LoRA), repeat for R rounds, reporting held-out CSR per round. Without --model it runs on the bundled
// demo model, prompts and constraints. The loop is AlignRecipes.ACTLoop; this file parses and prints.
import AlignRecipes
import AlignTraining
import ArgumentParser
import Foundation

/// `align act [--model DIR --prompts F --constraints SPEC --heldout-prompts F] [--rounds R] [--samples K] …`.
public struct ACTCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "act",
        abstract: "Verify → pair → train: align a model to constraints it can be checked against (ACT, I-SHEEP rounds).",
        discussion: "Prompts: JSONL {\"id\", \"prompt\"} or {\"id\", \"messages\"}. Constraints: the spec of `align eval "
            + "constraints` (spec-wide constraints apply to every prompt id it does not list). Writes report.json, "
            + "report.html, pairs-round-N.jsonl and the LoRA adapter into --output.")

    @Option(help: "Model folder (default: the bundled demo model).") var model: String?
    @Option(help: "Training prompts JSONL (default: bundled).") var prompts: String?
    @Option(help: "Constraint spec JSON (default: bundled).") var constraints: String?
    @Option(help: "Held-out prompts JSONL for CSR (default: bundled).") var heldoutPrompts: String?
    @Option(help: "Held-out preference pairs JSONL for ranking accuracy (default: bundled with the bundled model).") var heldoutPairs: String?
    @Option(help: "Rounds (R).") var rounds = 2
    @Option(help: "Responses per prompt (K).") var samples = 4
    @Option(help: "Training prompts per round (default: all).") var promptsPerRound: Int?
    @Option(help: "Held-out prompts used (default: all).") var heldoutLimit: Int?
    @Option(help: "DPO steps per round.") var steps = 60
    @Option(help: "Peak learning rate.") var learningRate = 5e-4
    @Option(help: "DPO β.") var beta = 0.1
    @Option(help: "Weight of the chosen responses' NLL added to DPO (RPO); 0 = plain DPO.") var sftWeight = 1.0
    @Option(help: "LoRA rank (0: full fine-tuning).") var loraR = 8
    @Option(help: "Tokens per sampled response.") var maxNewTokens = 48
    @Option(help: "Sampling temperature.") var temperature: Float = 0.8
    @Option(help: "Stop string (repeatable; default for the bundled model: \"\\n\\nHuman:\").") var stop: [String] = []
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Option(help: "Output folder.") var output = "alignkit-act"
    @Flag(help: "Only sample, verify and pair (round 1) into --output/pairs.jsonl; no training.") var pairsOnly = false

    public init() {}

    public func run() throws {
        let bundled = model == nil ? try DemoAssets.bundled() : nil
        func pick(_ v: String?, _ d: URL?, _ name: String) throws -> URL {
            if let v { return URL(fileURLWithPath: v) }
            guard let d else { throw ValidationError("--\(name) is required with --model") }
            return d
        }
        let modelURL = try pick(model, bundled?.modelDirectory, "model")
        let stops = stop.isEmpty && bundled != nil ? ["\n\nHuman:"] : stop
        let sampling = try SamplingSettings.fromModel(directory: modelURL, samplesPerPrompt: samples, maxNewTokens: maxNewTokens,
                                                      temperature: temperature, seed: seed, stopStrings: stops)
        var measure = sampling
        measure.samplesPerPrompt = 2
        var training = PreferenceTrainingSettings()
        training.setObjective(beta: beta, sftWeight: sftWeight)
        training.training.maxSteps = steps
        training.training.learningRate = learningRate
        training.training.lrSchedulerType = "cosine"
        training.training.warmupSteps = min(10, steps / 5)
        training.training.seed = seed
        training.lora = loraR > 0 ? PreferenceTrainingSettings.lora(rank: loraR) : nil
        let constraintsURL = try pick(constraints, bundled?.constraints, "constraints")
        let context = try RecipeContext(modelDirectory: modelURL, heldoutPairs: heldoutPairs.map { URL(fileURLWithPath: $0) } ?? bundled?.heldoutPreferences,
                                        heldoutPrompts: try pick(heldoutPrompts, bundled?.heldoutPrompts, "heldout-prompts"),
                                        constraints: constraintsURL, measureSampling: measure, beta: beta,
                                        maxLength: training.maxLength, promptLimit: heldoutLimit)
        var settings = ACTSettings(sampling: sampling, training: training)
        settings.rounds = rounds
        settings.promptsPerRound = promptsPerRound
        let trainPrompts = try PromptSet.read(try pick(prompts, bundled?.trainPrompts, "prompts"))
        let loop = try ACTLoop(context: context, trainPrompts: trainPrompts, constraints: constraintsURL, settings: settings)
        let out = URL(fileURLWithPath: output)
        if pairsOnly {
            let (pairs, csr) = try loop.samplePairs(round: 1)
            try PairFile.write(pairs, to: out.appendingPathComponent("pairs.jsonl"))
            print(String(format: "sampled CSR %.3f; %d pairs from %d prompts in %@", csr, pairs.count, trainPrompts.count,
                         out.appendingPathComponent("pairs.jsonl").path))
            return
        }
        let report = try loop.run(output: out) { print($0) }
        try report.write(to: out)
        print("\n" + report.textTable())
        print("\nround  sampled CSR  pairs  held-out CSR")
        print(String(format: "%5d  %11s  %5s  %12.3f", 0, "—", "—", report.base.csr))
        for r in report.rounds { print(String(format: "%5d  %11.3f  %5d  %12.3f", r.round, r.sampledCSR, r.pairs, r.after.csr)) }
        print("report.json, report.html, pairs and adapter in \(out.path)")
    }
}
