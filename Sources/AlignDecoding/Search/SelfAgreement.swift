// SelfAgreement: self-consistency without an answer parser (Lin, Fu, Liu, Wan, Zhang, Wang, Zhang, Gai,
// "Ask One More Time: Self-Agreement Improves Reasoning of Language Models in (Almost) All Scenarios",
// arXiv 2311.08154, §3; decoding.md §7.6):
//   1. sample m diverse reasoning paths of the question (the same batched sampling as self-consistency);
//   2. put all paths into one prompt and ask the same model once more which answer most of them agree on;
//   3. the model's (greedy) reply is the answer.
// The second prompt is built from `SelfAgreementTemplate`; the default wording is this toolkit's own
// (the paper's exact prompt text was not retrievable, decoding.md §7.6), and the caller can replace it —
// instruction-tuned models should get it through their chat template (`encode` does the rendering).

/// The aggregation prompt: `{question}`, `{count}` and `{answers}` are substituted; each path is
/// rendered with `item` (`{index}` 1-based, `{answer}`) and the items are joined by blank lines.
public struct SelfAgreementTemplate: Equatable, Sendable {
    /// The whole prompt.
    public var prompt: String
    /// One reasoning path.
    public var item: String

    /// The default wording.
    public static let standard = SelfAgreementTemplate(
        prompt: "Question: {question}\n\nHere are {count} answers to the question:\n\n{answers}\n\n"
            + "Which final answer do most of the answers above agree on? Reply with that answer only.\n"
            + "The most agreed answer is:",
        item: "Answer {index}: {answer}")

    /// Creates a template.
    public init(prompt: String, item: String) {
        self.prompt = prompt
        self.item = item
    }

    /// The aggregation prompt for `question` and its sampled `paths`.
    public func render(question: String, paths: [String]) -> String {
        let items = paths.enumerated().map { i, path in
            item.replacingOccurrences(of: "{index}", with: String(i + 1))
                .replacingOccurrences(of: "{answer}", with: path.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        // {answers} last, so text inside the paths is never substituted again.
        return prompt.replacingOccurrences(of: "{question}", with: question)
            .replacingOccurrences(of: "{count}", with: String(paths.count))
            .replacingOccurrences(of: "{answers}", with: items.joined(separator: "\n\n"))
    }
}

/// The sampled paths, the aggregation prompt and the model's choice.
public struct SelfAgreementResult: Equatable, Sendable {
    /// The m sampled paths.
    public let samples: [GeneratedRow]
    /// The aggregation prompt given to the model.
    public let aggregationPrompt: String
    /// The model's reply to it (greedy).
    public let selection: GeneratedRow
}

/// Self-Agreement decoding.
public enum SelfAgreement {
    /// Samples `samples` paths of `prompt`, then asks the model which answer most agree on.
    ///
    /// - Parameters:
    ///   - question: the question as text (what `{question}` becomes).
    ///   - parameters: sampling parameters of the paths; the selection uses the same limits, greedily.
    ///   - selectionTokens: max_new_tokens of the selection reply.
    ///   - encode: text → prompt ids (apply the chat template here if the model needs one).
    /// - Throws: `invalidParameter` as self-consistency; encoder and generation errors.
    public static func run<Model: CausalLM>(model: Model, prompt: [Int32], question: String, samples: Int,
                                            parameters: GenerateParameters, decoder: any TokenBytes,
                                            template: SelfAgreementTemplate = .standard, selectionTokens: Int = 32,
                                            encode: (String) throws -> [Int32]) throws -> SelfAgreementResult {
        let rows = try BestOfN.sample(model: model, prompt: prompt, n: samples, parameters: parameters, decoder: decoder,
                                      processors: [])
        let aggregation = template.render(question: question, paths: rows.map(\.text))
        var greedy = parameters
        greedy.doSample = false
        greedy.maxNewTokens = selectionTokens
        let ids = try encode(aggregation)
        let selection = try TokenGenerator(model: model, prompts: [ids], parameters: greedy, decoder: decoder).run()[0]
        return SelfAgreementResult(samples: rows, aggregationPrompt: aggregation, selection: selection)
    }
}
