// BeamSearch: deterministic beam search as transformers 5.23's vectorized `_beam_search`
// (generation/utils.py, with `_get_top_k_continuations`, `_get_running_beams_for_next_iteration`,
// `_update_finished_beams`, `_check_early_stop_heuristic`, `_beam_search_has_unfinished_sequences`).
// Per step: log_softmax of each beam's logits, the processors (no warpers: this is do_sample=False),
// plus the beam's running score; the top K = max(2, 1 + #EOS)·num_beams continuations over all
// beams; those that hit EOS or max length become finished candidates (only the first num_beams of
// the K may, scored sum-logprob / generated_length^length_penalty); the best num_beams unfinished
// ones run on. The float32 arithmetic, the −1e9 "impossible" offsets and the three early_stopping
// modes are transformers'. Each prompt is searched on its own (num_beams model rows), which is what
// transformers computes for each batch item. Processors see each beam's prompt + generated ids but
// get no didAccept/fork calls, so stateful processors (a grammar matcher) are not supported here
// yet. Left out: beam sampling, diverse/constrained beams, stop strings.

import Foundation

/// A finished beam: generated ids and its length-normalised score.
public struct BeamHypothesis: Equatable, Sendable {
    /// Generated ids (the last is EOS unless the hypothesis hit max_new_tokens).
    public let tokens: [Int32]
    /// Σ log p / (generated length)^length_penalty.
    public let score: Float
}

/// Beam search over a `CausalLM`.
public enum BeamSearch {
    /// Searches each prompt and returns its finished hypotheses, best first.
    ///
    /// Uses `numBeams`, `lengthPenalty`, `earlyStopping`, `maxNewTokens`, `eosTokenIds` and the
    /// non-sampling processors of `parameters`.
    /// - Throws: `invalidParameter`, `emptyPrompt`, `logitsShapeMismatch`, or the model's errors.
    public static func run<Model: CausalLM>(model: Model, prompts: [[Int32]], parameters: GenerateParameters,
                                            processors extra: [any LogitsProcessor] = []) throws -> [[BeamHypothesis]] {
        try parameters.validate()
        guard !parameters.doSample else {
            throw AlignDecodingError.invalidParameter(parameter: "do_sample", value: "true",
                                                      expected: "false for beam search")
        }
        return try prompts.enumerated().map { row, prompt in
            guard !prompt.isEmpty else { throw AlignDecodingError.emptyPrompt(row: row) }
            if let bad = prompt.first(where: { $0 < 0 || Int($0) >= model.vocabularySize }) {
                throw AlignDecodingError.tokenOutOfVocabulary(parameter: "prompt", token: Int(bad),
                                                              vocabularySize: model.vocabularySize)
            }
            var search = try BeamState(model: model, prompt: prompt, parameters: parameters,
                                       processors: parameters.makeProcessors(extra: extra))
            return try search.run()
        }
    }
}

/// One prompt's beam search (transformers' per-batch-item tensors, as arrays).
struct BeamState<Model: CausalLM> {
    let model: Model
    let prompt: [Int32]
    let p: GenerateParameters
    var processors: [any LogitsProcessor]
    let nb: Int
    /// K = max(2, 1 + #EOS) · num_beams candidates kept per step.
    let keep: Int
    var cache: Model.Cache
    var logits: [Float]  // [nb, V]
    var running: [[Int32]]  // [nb] generated ids
    var runningScores: [Float]  // [nb]; beams 1… start at −1e9 so step 1 only expands beam 0
    var finished: [[Int32]]
    var finishedScores: [Float]
    var isFinished: [Bool]
    var improvementPossible = true

    init(model: Model, prompt: [Int32], parameters: GenerateParameters, processors: [any LogitsProcessor]) throws {
        self.model = model
        self.prompt = prompt
        self.p = parameters
        self.processors = processors
        nb = parameters.numBeams
        keep = max(2, 1 + parameters.eosTokenIds.count) * nb
        let (first, cache0) = try model.prefill([prompt])
        let row = try TokenGenerator<Model>.rows(of: first, batch: 1, vocabularySize: model.vocabularySize)
        cache = try model.selectRows(cache0, rows: Array(repeating: 0, count: nb))
        logits = Array((0..<nb).map { _ in row }.joined())
        running = Array(repeating: [], count: nb)
        runningScores = [0] + Array(repeating: -1e9, count: nb - 1)
        finished = Array(repeating: [], count: nb)
        finishedScores = Array(repeating: -1e9, count: nb)
        isFinished = Array(repeating: false, count: nb)
    }

    mutating func run() throws -> [BeamHypothesis] {
        guard p.maxNewTokens > 0 else { return [BeamHypothesis(tokens: [], score: 0)] }
        while true {
            let (scores, indices) = try topContinuations()
            let v = model.vocabularySize
            let generated = running[0].count + 1
            let sequences = indices.map { running[$0 / v] + [Int32($0 % v)] }
            let hits = sequences.map { p.eosTokenIds.contains($0[$0.count - 1]) || generated >= p.maxNewTokens }
            let next = nextRunning(scores: scores, hits: hits)
            updateFinished(sequences: sequences, scores: scores, hits: hits, generated: generated)
            running = next.map { sequences[$0] }
            runningScores = next.map { scores[$0] + (hits[$0] ? -1e9 : 0) }
            updateHeuristic(generated: generated)
            let openBeam = !(isFinished.allSatisfy { $0 } && p.earlyStopping == .always)
            guard improvementPossible && openBeam && !hits.allSatisfy({ $0 }) else { break }
            try advanceModel(parents: next.map { indices[$0] / v })
        }
        return (0..<nb).filter { isFinished[$0] }.map { BeamHypothesis(tokens: finished[$0], score: finishedScores[$0]) }
    }

    /// log_softmax → processors → + running score; the K best (score, flat beam·V + token), best first.
    mutating func topContinuations() throws -> ([Float], [Int]) {
        let v = model.vocabularySize
        var logProbs = logits
        for b in 0..<nb { Self.logSoftmax(&logProbs, row: b, vocabularySize: v) }
        let histories = running.enumerated().map { TokenHistory(row: $0, tokens: prompt + $1, promptLength: prompt.count) }
        try logProbs.withUnsafeMutableBufferPointer { buf in
            for i in processors.indices { try processors[i].process(buf, vocabularySize: v, histories: histories) }
        }
        for b in 0..<nb { for j in 0..<v { logProbs[b * v + j] += runningScores[b] } }
        let order = Self.topIndices(logProbs, count: keep)
        return (order.map { logProbs[$0] }, order)
    }

    /// The best num_beams candidates that did not hit a stopping criterion (their positions in the K).
    func nextRunning(scores: [Float], hits: [Bool]) -> [Int] {
        Self.topIndices(zip(scores, hits).map { $0 + ($1 ? -1e9 : 0) }, count: nb)
    }

    /// Merges this step's finished candidates into the num_beams best finished hypotheses.
    mutating func updateFinished(sequences: [[Int32]], scores: [Float], hits: [Bool], generated: Int) {
        // Division by the Python-float length factor is a float32 reciprocal multiply, as in torch.
        let inverse = 1 / Float(pow(Double(generated), Double(p.lengthPenalty)))
        let full = isFinished.allSatisfy { $0 } && p.earlyStopping == .always
        var candidateScores = scores.map { $0 * inverse }
        for k in 0..<keep {
            if full { candidateScores[k] += -1e9 }
            if !improvementPossible { candidateScores[k] += -1e9 }
            if !(hits[k] && k < nb) { candidateScores[k] += -1e9 }
        }
        let mergedScores = finishedScores + candidateScores
        let mergedSequences = finished + sequences
        let mergedFinished = isFinished + (0..<keep).map { hits[$0] && $0 < nb }
        let best = Self.topIndices(mergedScores, count: nb)
        finished = best.map { mergedSequences[$0] }
        finishedScores = best.map { mergedScores[$0] }
        isFinished = best.map { mergedFinished[$0] }
    }

    /// transformers' `_check_early_stop_heuristic`: can the best running beam still beat the worst finished one?
    mutating func updateHeuristic(generated: Int) {
        let length = p.earlyStopping == .never && p.lengthPenalty > 0 ? p.maxNewTokens : generated
        let bestPossible = runningScores[0] / Float(pow(Double(length), Double(p.lengthPenalty)))
        let worst = finishedScores.min() ?? -1e9
        improvementPossible = improvementPossible && isFinished.contains { !$0 ? bestPossible > -1e9 : bestPossible > worst }
    }

    /// Reorders the cache to the new beams' parents and feeds their last tokens.
    mutating func advanceModel(parents: [Int]) throws {
        cache = try model.selectRows(cache, rows: parents)
        let out = try model.step(running.map { $0[$0.count - 1] }, cache: &cache)
        logits = try TokenGenerator<Model>.rows(of: out, batch: nb, vocabularySize: model.vocabularySize)
    }

    /// In-place float32 log_softmax of one row (max subtracted so exp cannot overflow).
    static func logSoftmax(_ values: inout [Float], row: Int, vocabularySize v: Int) {
        var maxValue = -Float.infinity
        for j in 0..<v where values[row * v + j] > maxValue { maxValue = values[row * v + j] }
        var sum = 0.0
        for j in 0..<v { sum += Double(expf(values[row * v + j] - maxValue)) }
        let logZ = maxValue + Float(log(sum))
        for j in 0..<v { values[row * v + j] -= logZ }
    }

    /// Indices of the `count` largest values, largest first; ties go to the lower index. The
    /// threshold (the count-th largest) comes from quickselect, so only the survivors are sorted —
    /// O(num_beams · V) per step instead of a full sort. NaN counts as −inf.
    static func topIndices(_ values: [Float], count: Int) -> [Int] {
        let k = min(count, values.count)
        guard k > 0 else { return [] }
        var scratch = values.map { $0.isNaN ? -Float.infinity : $0 }
        let threshold = TopKProcessor.kthLargest(&scratch, k: k)
        let survivors = values.indices.filter { values[$0] >= threshold }
        let order = survivors.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        return Array(order.prefix(k))
    }
}
