// DemoPipeline: the embedded default — measure the bundled base model (held-out ranking accuracy, CSR on
// held-out prompts, sample responses), align it with DPO + LoRA on the bundled preference set, measure again,
// save the adapter (PEFT layout) and write the report. Everything is seeded: the same seed on the same
// machine gives the same figures.
import AlignEval
import AlignModels
import AlignTraining
import Foundation

/// Settings of the demo; the defaults are what `align demo` runs.
public struct DemoSettings: Sendable {
    public var seed: UInt64 = 0
    public var training = PreferenceTrainingSettings()
    /// Held-out responses sampled per prompt when measuring CSR.
    public var measureSamplesPerPrompt = 2
    public var maxNewTokens = 48
    public var temperature: Float = 0.8
    /// At most this many held-out pairs / prompts / training pairs (nil: all).
    public var heldoutPairLimit: Int?
    public var heldoutPromptLimit: Int?
    public var trainPairLimit: Int?

    public init() {
        training.setObjective(beta: 0.1, sftWeight: 1)
        training.training.learningRate = 5e-4
        training.training.maxSteps = 120
        training.training.perDeviceTrainBatchSize = 8
        training.training.warmupSteps = 10
        training.training.lrSchedulerType = "cosine"
        training.training.loggingSteps = 10
    }
}

/// Runs the demo.
public struct DemoPipeline {
    public let assets: DemoAssets
    public let settings: DemoSettings

    public init(assets: DemoAssets, settings: DemoSettings) { (self.assets, self.settings) = (assets, settings) }

    /// Runs the three phases, saving the adapter and the report into `output`; `say` gets progress lines.
    public func run(output: URL, say: (String) -> Void) throws -> AlignmentReport {
        var timings: [String: Double] = [:]
        let clock = Date()
        let sampling = try SamplingSettings.fromModel(directory: assets.modelDirectory, samplesPerPrompt: settings.measureSamplesPerPrompt,
                                                      maxNewTokens: settings.maxNewTokens, temperature: settings.temperature,
                                                      seed: settings.seed, stopStrings: ["\n\nHuman:"])
        let context = try RecipeContext(modelDirectory: assets.modelDirectory, heldoutPairs: assets.heldoutPreferences,
                                        heldoutPrompts: assets.heldoutPrompts, constraints: assets.constraints,
                                        measureSampling: sampling, beta: settings.training.dpo.beta,
                                        maxLength: settings.training.maxLength, pairLimit: settings.heldoutPairLimit,
                                        promptLimit: settings.heldoutPromptLimit)
        var pairs = try PreferencePair.read(assets.preferences)
        if let n = settings.trainPairLimit { pairs = Array(pairs.prefix(n)) }
        say("measuring the base model (\(context.measurer.heldoutPairs.count) held-out pairs, \(context.measurer.heldoutPrompts.count) held-out prompts)…")
        var t = Date()
        let base = try context.measurer.measure(context.model)
        timings["measure base"] = Date().timeIntervalSince(t)
        say("training DPO + LoRA on \(pairs.count) bundled pairs for \(settings.training.training.maxSteps) steps…")
        t = Date()
        var training = settings.training
        training.training.seed = settings.seed
        let logs = try PreferenceRound.train(context.model, pairs: pairs, scorer: context.scorer, settings: training) { log in
            if log.step % max(1, training.training.loggingSteps) == 0 || log.step == training.training.maxSteps {
                say(String(format: "  step %4d  loss %.4f  reward accuracy %.2f", log.step, log.loss, log.metrics["rewards/accuracies"] ?? .nan))
            }
        }
        timings["train"] = Date().timeIntervalSince(t)
        say("measuring the aligned model…")
        t = Date()
        let aligned = try context.measurer.measure(context.model)
        timings["measure aligned"] = Date().timeIntervalSince(t)
        try saveAdapter(context.model, to: output.appendingPathComponent("adapter"))
        timings["total"] = Date().timeIntervalSince(clock)
        return AlignmentReport(kind: "demo", model: "AlignKit tiny Llama (bundled)", seed: settings.seed,
                               settings: describe(training, sampling: sampling, pairs: pairs.count),
                               base: base, aligned: aligned, rounds: [], steps: AlignmentReport.steps(logs, round: 1), timings: timings)
    }

    func saveAdapter(_ model: DecoderModel, to url: URL) throws {
        guard model.loraConfig != nil else { return }
        try model.saveLoRA(to: url)  // creates the folder; writes atomically
    }

    func describe(_ t: PreferenceTrainingSettings, sampling: SamplingSettings, pairs: Int) -> [String: String] {
        RecipeSettingsText.describe(t, sampling: sampling).merging(["training pairs": "\(pairs)"]) { a, _ in a }
    }
}

/// Settings as report rows.
enum RecipeSettingsText {
    static func describe(_ t: PreferenceTrainingSettings, sampling: SamplingSettings) -> [String: String] {
        var out = [
            "objective": t.dpo.lossType.map(\.rawValue).joined(separator: "+") + ", weights \(t.dpo.lossWeights ?? [1]), beta \(t.dpo.beta)",
            "optimizer": "AdamW, lr \(t.training.learningRate), \(t.training.lrSchedulerType), warmup \(t.training.warmupSteps)",
            "steps × batch": "\(t.training.maxSteps) × \(t.training.perDeviceTrainBatchSize)",
            "max length": "\(t.maxLength)",
            "sampling": "temperature \(sampling.parameters.temperature), top-k \(sampling.parameters.topK), max_new_tokens \(sampling.parameters.maxNewTokens), \(sampling.samplesPerPrompt) per prompt",
        ]
        if let l = t.lora { out["lora"] = "r \(l.rank), alpha \(l.alpha), \(l.targetModules.joined(separator: ","))" } else { out["lora"] = "none (full fine-tuning)" }
        return out
    }
}
