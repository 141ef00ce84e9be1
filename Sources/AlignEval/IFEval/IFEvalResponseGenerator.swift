// IFEvalResponseGenerator: the generation half of an IFEval run — each prompt as one user message through
// the model's chat template (lm-eval's `--apply_chat_template`: rendered with the generation prompt, then
// tokenized without further special tokens, as transformers' `apply_chat_template(tokenize=True)`), or as raw
// text with the tokenizer's special tokens when no template is used; then batched generation (greedy unless
// the parameters sample) and the responses file in the layout of the reference's
// `input_response_data_*.jsonl` (one {"prompt", "response"} object per line), which IFEvalData.readItems reads.
// lm-eval's ifeval task generates greedily with no stop strings and max_gen_toks 1280
// (lm-evaluation-harness lm_eval/tasks/ifeval/ifeval.yaml); `defaultMaxNewTokens` mirrors that.
// Prompts are batched by token length (longest first) to keep left padding small; results come back in
// prompt order, and a left-padded batch gives each row the tokens it would get alone (see
// Tests/AlignDecodingTests/ArchitectureGenerationTests.swift).
import AlignDecoding
import AlignModels
import AlignTokenizers
import Foundation

/// Generates responses to IFEval prompts with a decoder model.
///
///     let gen = try IFEvalResponseGenerator(model: lm, tokenizer: tok, template: template, parameters: p)
///     let responses = try gen.responses(for: prompts.map(\.prompt))
///     try writeFileAtomically(IFEvalResponseGenerator.responsesJSONL(prompts: texts, responses: responses), to: url)
public struct IFEvalResponseGenerator {
    /// lm-eval's `max_gen_toks` for ifeval.
    public static let defaultMaxNewTokens = 1280

    public let model: DecoderModel
    public let tokenizer: Tokenizer
    /// The chat template prompts are rendered through; nil = raw prompt text.
    public let template: ChatTemplate?
    /// Generation settings (stop strings, EOS and pad ids, max new tokens, sampling).
    public let parameters: GenerateParameters
    /// Prompts generated together.
    public let batchSize: Int

    /// - Throws: `AlignEvalError.invalidArgument` for a batch size below 1 or parameters the loop rejects.
    public init(model: DecoderModel, tokenizer: Tokenizer, template: ChatTemplate?, parameters: GenerateParameters,
                batchSize: Int = 8) throws {
        guard batchSize >= 1 else {
            throw AlignEvalError.invalidArgument(name: "batch_size", reason: "must be at least 1, got \(batchSize)")
        }
        try parameters.validate()
        self.model = model
        self.tokenizer = tokenizer
        self.template = template
        self.parameters = parameters
        self.batchSize = batchSize
    }

    /// The prompt's ids: the chat rendering of one user message (no extra special tokens), else the text with
    /// the tokenizer's special tokens.
    /// - Throws: template errors; `AlignEvalError.invalidArgument` when the prompt encodes to no tokens.
    public func encode(_ prompt: String) throws -> [Int32] {
        var text = prompt
        if let template {
            text = try template.render(messages: [.object([("role", .string("user")), ("content", .string(prompt))])],
                                       addGenerationPrompt: true)
        }
        let ids = tokenizer.encode(text, addSpecialTokens: template == nil).ids.map { Int32($0) }
        guard !ids.isEmpty else {
            throw AlignEvalError.invalidArgument(name: "prompt", reason: "\(IFEvalReport.jsonString(String(prompt.prefix(60)))) encodes to no tokens")
        }
        return ids
    }

    /// One response per prompt, in prompt order; `progress(done, total)` after each batch.
    public func responses(for prompts: [String], progress: (Int, Int) -> Void = { _, _ in }) throws -> [String] {
        let ids = try prompts.map(encode)
        let order = ids.indices.sorted { ids[$0].count > ids[$1].count }  // longest first: least padding per batch
        var out = [String](repeating: "", count: prompts.count)
        var done = 0
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let batch = Array(order[start ..< min(start + batchSize, order.count)])
            let rows = try TokenGenerator(model: model, prompts: batch.map { ids[$0] }, parameters: parameters,
                                          decoder: tokenizer).run()
            for (i, row) in zip(batch, rows) { out[i] = row.text }
            done += batch.count
            progress(done, prompts.count)
        }
        return out
    }

    /// `{"prompt": …, "response": …}` lines, "\n"-terminated, in the given order.
    public static func responsesJSONL(prompts: [String], responses: [String]) -> String {
        zip(prompts, responses).map { p, r in
            "{\"prompt\": \(IFEvalReport.jsonString(p)), \"response\": \(IFEvalReport.jsonString(r))}\n"
        }.joined()
    }
}
