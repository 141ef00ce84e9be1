// The verify → pair → train loop for one short round on the bundled model and data: the pairs file holds one
// pair per prompt whose samples disagree (best CSR chosen), held-out CSR rises after the round, and the LoRA
// adapter is written.
import AlignEval
@testable import AlignRecipes
import Foundation
import Testing

@Suite(.serialized) struct ACTLoopTests {
    @Test func oneRoundRaisesHeldOutCSRAndWritesItsPairs() throws {
        let assets = try DemoAssets.bundled()
        let sampling = try SamplingSettings.fromModel(directory: assets.modelDirectory, samplesPerPrompt: 4, maxNewTokens: 32,
                                                      temperature: 0.8, seed: 0, stopStrings: ["\n\nHuman:"])
        var measure = sampling
        measure.samplesPerPrompt = 2
        var training = PreferenceTrainingSettings()
        training.setObjective(beta: 0.1, sftWeight: 1)
        training.training.maxSteps = 30
        training.training.learningRate = 1e-3
        training.training.warmupSteps = 3
        training.training.lrSchedulerType = "cosine"
        let context = try RecipeContext(modelDirectory: assets.modelDirectory, heldoutPairs: nil, heldoutPrompts: assets.heldoutPrompts,
                                        constraints: assets.constraints, measureSampling: measure, beta: 0.1,
                                        maxLength: training.maxLength, promptLimit: 24)
        var settings = ACTSettings(sampling: sampling, training: training)
        settings.rounds = 1
        settings.promptsPerRound = 64
        let loop = try ACTLoop(context: context, trainPrompts: try PromptSet.read(assets.trainPrompts),
                               constraints: assets.constraints, settings: settings)
        #expect(loop.prompts(round: 1).count == 64)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("act-\(UUID().uuidString)")
        let report = try loop.run(output: out) { _ in }
        let round = try #require(report.rounds.first)
        let written = try PreferencePair.read(out.appendingPathComponent("pairs-round-1.jsonl"))
        #expect(written.count == round.pairs)
        #expect(round.pairs > 0 && round.pairs <= 64)
        // Every written pair's chosen response satisfies more of the constraints than its rejected one.
        let idByText = Dictionary(loop.prompts(round: 1).map { ($0.text, $0.id) }, uniquingKeysWith: { a, _ in a })
        let rescored = try loop.scoring.score(written.map { p in
            PromptSamples(prompt: RecipePrompt(id: idByText[p.prompt] ?? "?", text: p.prompt), responses: [p.chosen, p.rejected])
        })
        #expect(rescored.allSatisfy { $0.csr[0] > $0.csr[1] })
        #expect(report.steps.count == 30)
        #expect(round.after.csr > report.base.csr)
        #expect(report.aligned == round.after)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("adapter/adapter_config.json").path))
    }
}
