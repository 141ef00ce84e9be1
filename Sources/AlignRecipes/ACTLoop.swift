// ACTLoop: automatic-constraint-verification alignment (ACT, Wang et al. 2024, arXiv 2403.06326) iterated
// as I-SHEEP does (Liang et al. 2024, arXiv 2408.08072): for each round, sample K responses per training
// prompt from the current policy, verify them (CSR per response), pair the best against the worst response
// of each prompt, train on the pairs (DPO-family loss, LoRA by default; the round's starting policy is its
// reference), then measure on held-out prompts. Rounds walk through the training prompts in order,
// `promptsPerRound` at a time (wrapping around), each with its own sampling seed.
import AlignEval
import AlignModels
import AlignTraining
import Foundation

/// Settings of the loop.
public struct ACTSettings: Sendable {
    public var rounds = 2
    /// Training prompts sampled per round (nil: all of them every round).
    public var promptsPerRound: Int?
    /// Sampling of the training responses (K = samplesPerPrompt).
    public var sampling: SamplingSettings
    public var training: PreferenceTrainingSettings

    public init(sampling: SamplingSettings, training: PreferenceTrainingSettings) {
        (self.sampling, self.training) = (sampling, training)
    }
}

/// Runs ACT rounds on a loaded policy.
public struct ACTLoop {
    public let context: RecipeContext
    public let trainPrompts: [RecipePrompt]
    public let scoring: ConstraintScoring
    public let settings: ACTSettings

    /// - Parameter constraints: the spec applied to the training prompts (ids missing from it get its spec-wide constraints).
    public init(context: RecipeContext, trainPrompts: [RecipePrompt], constraints: URL, settings: ACTSettings) throws {
        guard settings.rounds >= 1 else { throw AlignRecipesError.invalidSetting(name: "rounds", value: "\(settings.rounds)", expected: "≥ 1") }
        (self.context, self.trainPrompts, self.settings) = (context, trainPrompts, settings)
        scoring = try ConstraintScoring(specURL: constraints, promptIDs: trainPrompts.map(\.id), tools: context.tools)
    }

    /// The prompts of round `r` (1-based).
    func prompts(round r: Int) -> [RecipePrompt] {
        guard let n = settings.promptsPerRound, n < trainPrompts.count else { return trainPrompts }
        return (0 ..< n).map { trainPrompts[((r - 1) * n + $0) % trainPrompts.count] }
    }

    /// The verify and pair steps of round `r`: K samples per prompt from the current policy (seeded by the
    /// round), their CSR, and the pairs; also returns the samples' mean CSR.
    public func samplePairs(round r: Int) throws -> (pairs: [PreferencePair], sampledCSR: Double) {
        var sampling = settings.sampling
        sampling.parameters.seed = settings.sampling.parameters.seed &+ UInt64(r) &* 1_000_003
        let scored = try scoring.score(try ResponseSampler.sample(model: context.model, tokenizer: context.scorer.tokenizer,
                                                                  prompts: prompts(round: r), settings: sampling))
        return (ConstraintScoring.pairs(scored), ConstraintScoring.summary(scored).meanCSR)
    }

    /// Measures the base policy, runs every round, and returns the report.
    /// - Parameter output: where pairs-round-N.jsonl and the final LoRA adapter go (nil: not written).
    public func run(output: URL? = nil, say: (String) -> Void) throws -> AlignmentReport {
        var timings: [String: Double] = [:]
        let start = Date()
        let base = try context.measurer.measure(context.model)
        say(String(format: "round 0 (base): held-out CSR %.3f, all satisfied %.3f", base.csr, base.allSatisfied))
        var rounds: [ReportRound] = [], steps: [ReportStep] = [], last = base
        for r in 1 ... settings.rounds {
            let (pairs, sampled) = try samplePairs(round: r)
            say(String(format: "round %d: sampled CSR %.3f, %d pairs", r, sampled, pairs.count))
            if let output { try PairFile.write(pairs, to: output.appendingPathComponent("pairs-round-\(r).jsonl")) }
            var training = settings.training
            training.training.seed = settings.training.training.seed &+ UInt64(r)
            let logs = pairs.isEmpty ? [] : try PreferenceRound.train(context.model, pairs: pairs, scorer: context.scorer, settings: training)
            last = try context.measurer.measure(context.model)
            steps += AlignmentReport.steps(logs, round: r)
            rounds.append(ReportRound(round: r, sampledCSR: sampled, pairs: pairs.count, after: last))
            say(String(format: "round %d: final loss %.4f, held-out CSR %.3f, all satisfied %.3f", r, logs.last?.loss ?? .nan, last.csr, last.allSatisfied))
        }
        if let output, context.model.loraConfig != nil {
            try context.model.saveLoRA(to: output.appendingPathComponent("adapter"))
        }
        timings["total"] = Date().timeIntervalSince(start)
        var described = RecipeSettingsText.describe(settings.training, sampling: settings.sampling)
        described["rounds"] = "\(settings.rounds), \(settings.promptsPerRound.map(String.init) ?? "all") prompts per round"
        return AlignmentReport(kind: "act", model: context.modelDirectory.lastPathComponent, seed: settings.sampling.parameters.seed,
                               settings: described, base: base, aligned: last, rounds: rounds, steps: steps, timings: timings)
    }
}
