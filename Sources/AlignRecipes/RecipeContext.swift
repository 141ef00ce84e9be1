// RecipeContext: what both pipelines load once — the policy, its TRL-style pair tokenizer (PreferenceScorer,
// which also knows the pad id), the verifiers' shared tools (Punkt, langdetect), and the measurer bound to
// the held-out pairs, held-out prompts and the constraint spec.
import AlignEval
import AlignModels
import AlignTokenizers
import Foundation

/// A loaded policy with its held-out measurement.
public struct RecipeContext {
    public let modelDirectory: URL
    public let model: DecoderModel
    public let scorer: PreferenceScorer
    public let tools: IFEvalTools
    public let measurer: PolicyMeasurer

    /// Loads the model folder and the held-out data.
    /// - Parameters:
    ///   - heldoutPairs: a {"prompt","chosen","rejected"} JSONL file, or nil to measure CSR only.
    ///   - limits: at most this many held-out pairs / prompts (nil: all).
    public init(modelDirectory: URL, heldoutPairs: URL?, heldoutPrompts: URL, constraints: URL,
                measureSampling: SamplingSettings, beta: Double, maxLength: Int,
                pairLimit: Int? = nil, promptLimit: Int? = nil) throws {
        self.modelDirectory = modelDirectory
        model = try DecoderModel.load(directory: modelDirectory)
        scorer = try PreferenceScorer(modelDirectory: modelDirectory, batchSize: 8)
        tools = try IFEvalTools()
        let template = try? ChatTemplateConfig(directory: modelDirectory).template()
        var pairs = try heldoutPairs.map { try PreferencePair.read($0) } ?? []
        var prompts = try PromptSet.read(heldoutPrompts, template: template)
        if let n = pairLimit { pairs = Array(pairs.prefix(n)) }
        if let n = promptLimit { prompts = Array(prompts.prefix(n)) }
        let scoring = try ConstraintScoring(specURL: constraints, promptIDs: prompts.map(\.id), tools: tools)
        measurer = PolicyMeasurer(scorer: scorer, heldoutPairs: pairs, heldoutPrompts: prompts, scoring: scoring,
                                  sampling: measureSampling, beta: beta, maxLength: maxLength)
    }
}
