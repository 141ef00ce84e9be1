// EvalIFEvalCommand+Generate: the options of `align eval ifeval --model DIR` and the call into AlignEval's
// IFEvalResponseGenerator — load the model folder (config.json, safetensors, tokenizer.json, the chat template
// from tokenizer_config.json or chat_template.jinja, generation_config.json for the EOS and pad ids), generate
// for the prompts and write the responses file atomically. Decoding is greedy unless --temperature > 0, as
// lm-eval's ifeval task sets do_sample false whatever the model's generation_config.json says.
import AlignDecoding
import AlignEval
import AlignModels
import AlignTokenizers
import ArgumentParser
import Foundation

/// Options for generating IFEval responses with a model.
struct IFEvalGenerationOptions: ParsableArguments {
    @Option(help: "Model folder: generate the responses to --prompts with it first, into --responses.")
    var model: String?

    @Option(help: "Maximum new tokens per response (lm-eval's ifeval uses 1280).")
    var maxNewTokens = IFEvalResponseGenerator.defaultMaxNewTokens

    @Option(help: "Prompts generated together (left-padded to one length).")
    var batchSize = 8

    @Flag(help: "Use the raw prompt text instead of the model's chat template.")
    var noChatTemplate = false

    @Option(help: "Sampling temperature (> 0 samples; default greedy).")
    var temperature: Float?

    @Option(help: "Seed of the sampler's random streams (with --temperature).")
    var seed: UInt64?

    /// Checks the counts and that --model comes with --prompts.
    func validate(hasPrompts: Bool) throws {
        guard model != nil else { return }
        if !hasPrompts { throw ValidationError("--model needs --prompts (the IFEval input_data.jsonl)") }
        if maxNewTokens < 1 { throw ValidationError("--max-new-tokens must be at least 1") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let temperature, temperature < 0 { throw ValidationError("--temperature must be ≥ 0") }
    }

    /// generation_config.json's ids (if the file exists), greedy unless --temperature > 0, no stop strings.
    func parameters(directory: URL) throws -> GenerateParameters {
        let config = directory.appendingPathComponent("generation_config.json")
        var p = FileManager.default.fileExists(atPath: config.path) ? try GenerateParameters(contentsOf: config)
                                                                    : GenerateParameters()
        p.maxNewTokens = maxNewTokens
        p.minNewTokens = 0
        p.numBeams = 1
        p.doSample = (temperature ?? 0) > 0
        if let temperature, temperature > 0 { p.temperature = temperature }
        if let seed { p.seed = seed }
        p.stopStrings = []
        try p.validate()
        return p
    }

    /// Generates a response to each prompt with the model in `directory` and writes them to `url` as
    /// {"prompt", "response"} lines, atomically.
    func generate(model directory: String, prompts: [String], to url: URL, progress: (Int, Int) -> Void) throws {
        let dir = URL(fileURLWithPath: directory)
        let lm = try DecoderModel.load(directory: dir)
        let tokenizer = try Tokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json"))
        var template: ChatTemplate?
        if !noChatTemplate {
            do { template = try ChatTemplateConfig(directory: dir).template() } catch {
                throw ValidationError("\(dir.path): no usable chat template (\(error)); pass --no-chat-template to use raw prompts")
            }
        }
        let generator = try IFEvalResponseGenerator(model: lm, tokenizer: tokenizer, template: template,
                                                    parameters: try parameters(directory: dir), batchSize: batchSize)
        let responses = try generator.responses(for: prompts, progress: progress)
        try writeFileAtomically(IFEvalResponseGenerator.responsesJSONL(prompts: prompts, responses: responses), to: url)
    }
}
