// `align generate`: load a model folder (config.json, model.safetensors, tokenizer.json,
// generation_config.json), generate for one prompt or each line of a JSONL file, and stream the text
// to stdout; with --json, print one object per prompt {"prompt", "completion", "token_ids",
// "finish_reason"} (+ "reward" with --best-of or --search). Greedy, sampling (temperature / top-k /
// top-p / min-p / repetition penalty, seeded), beam search, best-of-N, and `align decode`'s
// reward-guided searches (--search args|cd|deal|tq) with a programmatic reward, each optionally with
// activation steering (--steer FILE:LAYER:SCALE). The options follow transformers' generate keywords;
// the model folder's generation_config.json gives the defaults. Only parses, calls AlignDecoding and prints.
import ArgumentParser
import Foundation
import AlignDecoding
import AlignModels
import AlignTokenizers

/// `align generate --model DIR [--adapter DIR] (--prompt S | --file F.jsonl) [options]`.
public struct GenerateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Generate text with a decoder model (greedy, sampling, beam search, best-of-N, reward-guided search).")

    @Option(help: "Model folder: config.json, model.safetensors, tokenizer.json [, generation_config.json].")
    var model: String
    @Option(help: "The prompt text.")
    var prompt: String?
    @Option(help: "A JSONL file, one {\"prompt\": \"...\"} object per line.")
    var file: String?
    @Option(help: "Maximum new tokens (default: generation_config.json, else 20).")
    var maxNewTokens: Int?
    @Option(help: "Softmax temperature; > 0 turns sampling on, 0 means greedy.")
    var temperature: Float?
    @Option(help: "Keep the k most probable tokens (turns sampling on).")
    var topK: Int?
    @Option(help: "Nucleus mass (turns sampling on).")
    var topP: Double?
    @Option(help: "Min-p threshold (turns sampling on).")
    var minP: Float?
    @Option(help: "CTRL repetition penalty (1 = off).")
    var repetitionPenalty: Float?
    @Option(help: "Seed of the sampler's random streams.")
    var seed: UInt64?
    @Option(help: "Beam search with this many beams (greedy decoding only).")
    var numBeams: Int?
    @Option(parsing: .upToNextOption, help: "Strings that end the completion (not included in it).")
    var stop: [String] = []
    @Flag(help: "Wrap each prompt as a user message in the model's chat template.")
    var chat = false
    @Option(help: "Sample N completions and keep the one with the highest --reward.")
    var bestOf: Int?
    @Option(help: "Reward for --best-of: keyword:a,b | exclude:a,b | length:MIN-MAX[:words|characters] | regex:PATTERN | json-schema:FILE (repeat to sum).")
    var reward: [String] = []
    @Option(help: "Activation steering FILE:LAYER:SCALE (a direction from `align steer build`; repeatable).")
    var steer: [String] = []
    @Flag(help: "Print one JSON object per prompt instead of text.")
    var json = false
    @Flag(help: "Print each completion once it is finished instead of streaming it.")
    var noStream = false

    public init() {}

    @Option(help: "Constrain the completion to a JSON Schema (file), through the grammar engine's token masks.")
    var schema: String?
    @Option(help: "Constrain the completion to a GBNF grammar (file, llama.cpp format).")
    var gbnf: String?
    @Option(help: "Constrain the whole completion to a regular expression.")
    var regex: String?
    @Option(help: "With --schema/--gbnf/--regex/--lark: grammar-aligned sampling (ASAp); draw N samples per prompt, print the N-th.")
    var grammarAligned: Int?
    @Option(help: "Constrain the completion to a Lark grammar (file, llguidance's dialect).")
    var lark: String?
    @Option(help: "Reward-guided search instead of sampling: args | cd | deal | tq (needs --reward; options below).")
    var search: SearchMethod?
    @OptionGroup(title: "Search options (with --search)") var searchOptions: SearchOptions
    @OptionGroup(title: "More generate options") var sampler: GenerateSamplerOptions

    public func validate() throws {
        let grammars = [schema, gbnf, regex, lark].compactMap { $0 }.count
        if grammars > 1 { throw ValidationError("give at most one of --schema, --gbnf, --regex, --lark") }
        if grammars == 1 && (bestOf != nil || numBeams ?? 1 > 1 || search != nil) {
            throw ValidationError("--schema/--gbnf/--regex/--lark work with greedy or sampled decoding, not --best-of, --num-beams or --search")
        }
        try validateGrammarAligned(grammars: grammars)
        if (prompt == nil) == (file == nil) { throw ValidationError("give exactly one of --prompt or --file") }
        if bestOf != nil && reward.isEmpty { throw ValidationError("--best-of needs at least one --reward") }
        if let search, reward.isEmpty { throw ValidationError("--search \(search.rawValue) needs at least one --reward") }
        if !reward.isEmpty && bestOf == nil && search == nil { throw ValidationError("--reward is used with --best-of N or --search") }
        if [bestOf != nil, numBeams ?? 1 > 1, search != nil].filter({ $0 }).count > 1 {
            throw ValidationError("--num-beams, --best-of and --search exclude each other")
        }
        try searchOptions.validate(method: search)
    }

    public func run() throws {
        try execute { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Runs the command, sending everything it prints to `write` (stdout in `run`, a buffer in tests).
    func execute(write: (String) -> Void) throws {
        let dir = URL(fileURLWithPath: model)
        let lm = try sampler.loadModel(directory: dir)
        try lm.setSteering(try SteerSpec.terms(steer))
        let tokenizer = try Tokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json"))
        var params = try parameters(directory: dir)
        try sampler.apply(to: &params, tokenizer: tokenizer)
        try params.validate()
        let rewardFn = try reward.isEmpty ? nil : RewardSpec.parse(reward)
        let template = chat ? try ChatTemplateConfig(directory: dir).template() : nil
        // Compiled once: every prompt gets fresh matchers over the same grammar, vocabulary and mask cache.
        let grammar = try grammarProcessor(tokenizer: tokenizer, logitDimension: lm.vocabularySize, parameters: params)
        let baseline = try searchOptions.loadBaseline()
        for text in try prompts() {
            let ids = try encode(text, tokenizer: tokenizer, template: template)
            let result = try generate(GenerationRequest(text: text, ids: ids), lm: lm, tokenizer: tokenizer,
                                      parameters: params, reward: rewardFn, grammar: grammar, baseline: baseline, write: write)
            if json {
                write(result.jsonLine + "\n")
            } else if noStream || numBeams ?? 1 > 1 || bestOf != nil || search != nil {
                write(result.completion + "\n")
            } else {
                write("\n")
            }
        }
    }

    /// The prompt texts: --prompt, or the "prompt" of each non-empty JSONL line.
    func prompts() throws -> [String] {
        if let prompt { return [prompt] }
        guard let file else { return [] }
        return try PromptFile.read(path: file)
    }

    /// Prompt ids: the text (or its chat rendering) through the tokenizer. As transformers'
    /// `apply_chat_template(tokenize=True)`, a rendered chat adds no further special tokens.
    func encode(_ text: String, tokenizer: Tokenizer, template: ChatTemplate?) throws -> [Int32] {
        var input = text
        if let template {
            input = try template.render(messages: [.object([("role", .string("user")), ("content", .string(text))])],
                                        addGenerationPrompt: true)
        }
        let ids = tokenizer.encode(input, addSpecialTokens: template == nil).ids.map { Int32($0) }
        guard !ids.isEmpty else { throw ValidationError("prompt \(jsonQuoted(text)) encodes to no tokens") }
        return ids
    }
}
