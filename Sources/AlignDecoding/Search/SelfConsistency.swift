// SelfConsistency: sample m reasoning paths and return the answer most of them reach (Wang, Wei,
// Schuurmans, Le, Chi, Narang, Chowdhery, Zhou, "Self-Consistency Improves Chain of Thought Reasoning
// in Language Models", ICLR 2023, arXiv 2203.11171, §2; decoding.md §7.5):
//   1. sample m completions of the prompt (one batched generation: rows 0…m−1 draw from Philox
//      streams 0…m−1 of the seed, exactly the samples best-of-N would draw);
//   2. parse each final answer a_i with an `AnswerExtractor` (paths without one do not vote);
//   3. return argmax_a Σ_i 1[a_i = a] — the unweighted vote; ties go to the answer that appeared first.
// The representative completion is the first path that reached the winning answer. The paper's
// setting is m = 40 at temperature 0.5–0.7; the caller chooses through `GenerateParameters`.

/// One answer and how many paths reached it.
public struct AnswerVote: Equatable, Sendable {
    /// The normalised answer.
    public let answer: String
    /// Number of paths that reached it.
    public let count: Int

    /// Creates a vote count.
    public init(answer: String, count: Int) {
        self.answer = answer
        self.count = count
    }
}

/// The sampled paths and the vote.
public struct SelfConsistencyResult: Equatable, Sendable {
    /// The m sampled paths in sampling order.
    public let samples: [GeneratedRow]
    /// The extracted answer of each path (nil: none found).
    public let answers: [String?]
    /// Votes per distinct answer, most votes first (ties in order of first appearance).
    public let votes: [AnswerVote]
    /// The winning answer (nil if no path had one).
    public var answer: String? { votes.first?.answer }
    /// Index of the first path that reached the winning answer.
    public var chosenIndex: Int? { answer.flatMap { a in answers.firstIndex { $0 == a } } }
}

/// Self-consistency decoding.
public enum SelfConsistency {
    /// Samples `samples` paths of `prompt` and votes on their answers.
    ///
    /// - Parameters:
    ///   - parameters: sampling parameters (`do_sample` must be true unless `samples == 1`).
    ///   - processors: extra processors for the sampling run (e.g. a grammar mask).
    /// - Throws: `invalidParameter` for `samples < 1` or greedy with several samples; generation errors.
    public static func run<Model: CausalLM>(model: Model, prompt: [Int32], samples: Int, parameters: GenerateParameters,
                                            decoder: any TokenBytes, extractor: AnswerExtractor,
                                            processors: [any LogitsProcessor] = []) throws -> SelfConsistencyResult {
        let rows = try BestOfN.sample(model: model, prompt: prompt, n: samples, parameters: parameters, decoder: decoder,
                                      processors: processors)
        let answers = rows.map { extractor.extract($0.text) }
        return SelfConsistencyResult(samples: rows, answers: answers, votes: vote(answers))
    }

    /// Vote counts per distinct non-nil answer, most votes first; ties keep first-appearance order.
    public static func vote(_ answers: [String?]) -> [AnswerVote] {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for case let a? in answers {
            if counts[a] == nil { order.append(a) }
            counts[a, default: 0] += 1
        }
        let ranked = order.enumerated().sorted { x, y in
            let (cx, cy) = (counts[x.element] ?? 0, counts[y.element] ?? 0)
            return cx > cy || (cx == cy && x.offset < y.offset)
        }
        return ranked.map { AnswerVote(answer: $0.element, count: counts[$0.element] ?? 0) }
    }
}
