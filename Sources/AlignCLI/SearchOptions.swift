// SearchOptions: the reward-guided search methods' options and their dispatch, shared by
// `align decode --strategy args|cd|deal|tq` and `align generate --search args|cd|deal|tq`. Each option
// maps onto one field of the method's config struct in AlignDecoding/Search; an unset option keeps the
// library default (Docs/decoding-time-alignment.md lists them and their sources).
import ArgumentParser
import Foundation
import AlignDecoding
import AlignModels
import AlignTokenizers

/// The reward-guided search methods.
enum SearchMethod: String, ExpressibleByArgument, CaseIterable {
    case args, cd, deal, tq
}

/// Options of the search methods (each names the methods it applies to).
struct SearchOptions: ParsableArguments {
    @Option(help: "Candidate tokens per step, k (args 10, deal 5, tq 10).")
    var candidates: Int?
    @Option(help: "Reward weight: ARGS w, DeAL λ (default 1).")
    var weight: Double?
    @Flag(help: "Sample the next token from softmax(score) instead of taking the argmax (args, tq).")
    var stochastic = false
    @Option(help: "cd: blocks per round K (default 4); self-consistency / self-agreement: paths (default 8).")
    var samples: Int?
    @Option(help: "cd: tokens per block M (default 8).")
    var blockSize: Int?
    @Option(help: "deal: beams kept (default 2).")
    var beamWidth: Int?
    @Option(help: "deal: greedy lookahead tokens (default 8).")
    var lookahead: Int?
    @Option(help: "tq: aligned baseline model folder ρ_BL (same tokenizer).")
    var baseline: String?
    @Option(help: "tq: deviation parameter α (default 1).")
    var alpha: Double?
    @Option(help: "tq: rollouts per candidate (default 1, greedy; > 1 sampled).")
    var rollouts: Int?
    @Option(help: "tq: rollout length (default: to max-new-tokens).")
    var rolloutLength: Int?
    @Flag(help: "tq: indirect transfer (the baseline was DPO-aligned to a different reward).")
    var indirect = false

    /// Checks the combination for `method` (nil: no search method chosen).
    func validate(method: SearchMethod?) throws {
        if method == .tq && baseline == nil { throw ValidationError("tq needs --baseline DIR (an aligned model)") }
        if method != .tq && (baseline != nil || indirect) { throw ValidationError("--baseline and --indirect are for tq") }
    }

    /// The baseline model of Transfer Q*, loaded once per run.
    func loadBaseline() throws -> DecoderModel? {
        try baseline.map { try DecoderModel.load(directory: URL(fileURLWithPath: $0)) }
    }

    /// Runs `method` on one prompt. `temperature` is the command's --temperature (cd blocks, stochastic
    /// args/tq selection); nil means 1.
    func run(_ method: SearchMethod, model: DecoderModel, baseline: DecoderModel?, prompt ids: [Int32], text: String,
             parameters p: GenerateParameters, tokenizer: Tokenizer, reward: any Reward,
             temperature: Float?) throws -> SearchResult {
        let selection: TokenwiseGuidanceConfig.Selection = stochastic ? .sample : .greedy
        switch method {
        case .args:
            let config = TokenwiseGuidanceConfig(topK: candidates ?? 10, weight: weight ?? 1, selection: selection,
                                                 temperature: Double(temperature ?? 1))
            return try TokenwiseGuidance.run(model: model, prompt: ids, promptText: text, parameters: p,
                                             decoder: tokenizer, reward: reward, config: config)
        case .cd:
            let config = BlockwiseCDConfig(numSamples: samples ?? 4, blockSize: blockSize ?? 8, temperature: temperature ?? 1)
            return try BlockwiseControlledDecoding.run(model: model, prompt: ids, promptText: text, parameters: p,
                                                       decoder: tokenizer, value: reward, config: config)
        case .deal:
            let config = DeALConfig(topK: candidates ?? 5, beamWidth: beamWidth ?? 2, lookahead: lookahead ?? 8,
                                    lambda: weight ?? 1)
            return try DeAL.run(model: model, prompt: ids, promptText: text, parameters: p, decoder: tokenizer,
                                heuristic: reward, config: config)
        case .tq:
            guard let baseline else { throw ValidationError("tq needs --baseline DIR (an aligned model)") }
            let config = TransferQStarConfig(topK: candidates ?? 10, alpha: alpha ?? 1, rolloutsPerCandidate: rollouts ?? 1,
                                             rolloutLength: rolloutLength, transfer: indirect ? .indirect : .direct,
                                             selection: selection)
            return try TransferQStar.run(model: model, baseline: baseline, prompt: ids, promptText: text, parameters: p,
                                         decoder: tokenizer, reward: reward, config: config)
        }
    }
}
