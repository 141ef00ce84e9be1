// TokenGenerator: the batched generation loop — prefill, then one step per token: processors on the
// live rows' logits, a sampler per row, stop checks (EOS ids, stop strings on the decoded bytes,
// max_new_tokens), pad ids for finished rows, text deltas for streaming. It follows transformers
// 5.23's `_sample` loop (generation/utils.py): processors see prompt + generated ids, finished rows
// receive `pad_token_id` (default: the first EOS id), the model is not run after the last step.
// Sampling is reproducible: row b draws from Philox stream b of `seed`, draw i for its i-th token.
// Left out: beam search (BeamSearch.swift), assisted decoding, watermarking.
//
// Usage:
//     let gen = try TokenGenerator(model: lm, prompts: [[1, 2, 3]], parameters: params, decoder: vocab)
//     let rows = try gen.run { event in print(event.textDelta, terminator: "") }

import AlignTensor

/// Drives a `CausalLM` over a batch of prompts.
public final class TokenGenerator<Model: CausalLM> {
    /// The model being decoded.
    public let model: Model
    /// The request's parameters.
    public let parameters: GenerateParameters
    /// Token → bytes, for stop strings and text (nil: no text, no stop strings).
    public let decoder: (any TokenBytes)?
    /// Greedy or multinomial, from `parameters.doSample`.
    public let sampler: TokenSampler
    /// The current state (see `fork` and `rollback`).
    public internal(set) var state: DecodingState<Model.Cache>

    /// Validates the parameters, builds the processors and runs the prefill.
    ///
    /// - Parameters:
    ///   - prompts: one non-empty id list per row.
    ///   - processors: extra processors (e.g. a grammar `BitmaskProcessor`), after the built-in
    ///     processors and before the sampling warpers.
    /// - Throws: `invalidParameter`, `emptyPrompt`, `logitsShapeMismatch`, or the model's errors.
    public init(model: Model, prompts: [[Int32]], parameters: GenerateParameters,
                decoder: (any TokenBytes)? = nil, processors extra: [any LogitsProcessor] = []) throws {
        try Self.check(prompts: prompts, parameters: parameters, hasDecoder: decoder != nil,
                       vocabularySize: model.vocabularySize)
        self.model = model
        self.parameters = parameters
        self.decoder = decoder
        self.sampler = parameters.doSample ? .multinomial : .greedy
        let (logits, cache) = try model.prefill(prompts)
        let b = prompts.count
        let done: FinishReason? = parameters.maxNewTokens == 0 ? .length : nil
        state = DecodingState(
            cache: cache,
            histories: prompts.enumerated().map { TokenHistory(row: $0, tokens: $1, promptLength: $1.count) },
            processors: try parameters.makeProcessors(extra: extra),
            streams: (0..<b).map { PhiloxRandom(seed: parameters.seed, stream: UInt64($0)) },
            texts: Array(repeating: RowText(stops: parameters.stopStrings), count: b),
            finishReasons: Array(repeating: done, count: b),
            finishedAt: Array(repeating: done == nil ? nil : 0, count: b),
            nextLogits: try Self.rows(of: logits, batch: b, vocabularySize: model.vocabularySize),
            cacheIsBehind: false)
    }

    /// Rejects what the loop cannot run: bad parameters, beams, stop strings without a decoder,
    /// an empty batch or prompt, ids outside the vocabulary.
    static func check(prompts: [[Int32]], parameters: GenerateParameters, hasDecoder: Bool,
                      vocabularySize v: Int) throws {
        try parameters.validate()
        guard parameters.numBeams == 1 else {
            throw AlignDecodingError.invalidParameter(parameter: "num_beams", value: "\(parameters.numBeams)",
                                                      expected: "1 (use BeamSearch for num_beams > 1)")
        }
        if !parameters.stopStrings.isEmpty && !hasDecoder {
            throw AlignDecodingError.invalidParameter(parameter: "stop_strings", value: "\(parameters.stopStrings)",
                                                      expected: "a TokenBytes decoder to match them against")
        }
        guard !prompts.isEmpty else {
            throw AlignDecodingError.invalidParameter(parameter: "prompts", value: "[]", expected: "at least one prompt")
        }
        if let empty = prompts.firstIndex(where: \.isEmpty) { throw AlignDecodingError.emptyPrompt(row: empty) }
        if let bad = prompts.joined().first(where: { $0 < 0 || Int($0) >= v }) {
            throw AlignDecodingError.tokenOutOfVocabulary(parameter: "prompt", token: Int(bad), vocabularySize: v)
        }
        let pad = Int(parameters.effectivePadTokenId)
        guard pad >= 0, pad < v else {
            throw AlignDecodingError.tokenOutOfVocabulary(parameter: "pad_token_id", token: pad, vocabularySize: v)
        }
    }

    /// Wraps an existing state (used by `fork`).
    init(model: Model, parameters: GenerateParameters, decoder: (any TokenBytes)?, sampler: TokenSampler,
         state: DecodingState<Model.Cache>) {
        self.model = model
        self.parameters = parameters
        self.decoder = decoder
        self.sampler = sampler
        self.state = state
    }

    /// True when every row has finished.
    public var isFinished: Bool { state.finishReasons.allSatisfy { $0 != nil } }

    /// Per-row results so far.
    public var rows: [GeneratedRow] {
        state.histories.indices.map { b in
            let h = state.histories[b]
            let count = state.finishedAt[b] ?? h.generatedCount
            return GeneratedRow(tokens: Array(h.generated.prefix(count)),
                                text: String(decoding: state.texts[b].visibleBytes, as: UTF8.self),
                                finishReason: state.finishReasons[b])
        }
    }

    /// Prompt + generated ids per row, right-padded with the pad id to one length — the
    /// `sequences` tensor transformers' generate returns for a batch.
    public var paddedSequences: [[Int32]] { state.histories.map(\.tokens) }

    /// Generates one token for every live row and returns their events (empty once finished).
    public func step() throws -> [GenerationEvent] {
        let live = state.finishReasons.indices.filter { state.finishReasons[$0] == nil }
        guard !live.isEmpty else { return [] }
        precondition(!state.cacheIsBehind, "a running generation always has fresh logits")
        let tokens = try sampleLiveRows(live)
        let pad = parameters.effectivePadTokenId
        var next = Array(repeating: pad, count: state.histories.count)
        for (i, b) in live.enumerated() { next[b] = tokens[i] }
        for b in state.histories.indices { state.histories[b].tokens.append(next[b]) }
        var events: [GenerationEvent] = []
        for b in live {
            for p in state.processors.indices { try state.processors[p].didAccept(token: next[b], row: b) }
            events.append(finishCheck(row: b, token: next[b]))
        }
        if isFinished {
            state.cacheIsBehind = true
        } else {
            let logits = try model.step(next, cache: &state.cache)
            state.nextLogits = try Self.rows(of: logits, batch: next.count, vocabularySize: model.vocabularySize)
        }
        return events
    }

    /// Steps until every row finished, reporting each event; returns the rows.
    @discardableResult
    public func run(onEvent: (GenerationEvent) throws -> Void = { _ in }) throws -> [GeneratedRow] {
        while !isFinished {
            for event in try step() { try onEvent(event) }
        }
        return rows
    }

    /// Runs the processors on the live rows' logits and samples one token per live row.
    private func sampleLiveRows(_ live: [Int]) throws -> [Int32] {
        let v = model.vocabularySize
        var logits = [Float](repeating: 0, count: live.count * v)  // [A, V], live rows only
        for (i, b) in live.enumerated() {
            for j in 0..<v { logits[i * v + j] = state.nextLogits[b * v + j] }
        }
        let histories = live.map { state.histories[$0] }
        return try logits.withUnsafeMutableBufferPointer { buf in
            for p in state.processors.indices {
                try state.processors[p].process(buf, vocabularySize: v, histories: histories)
            }
            return try live.enumerated().map { i, b in
                let row = UnsafeBufferPointer(rebasing: buf[(i * v)..<((i + 1) * v)])
                return try sampler.sample(row, rng: state.streams[b], position: state.histories[b].generatedCount,
                                          rowIndex: b)
            }
        }
    }

    /// Applies the stop conditions to row `b` after it received `token`; returns its event.
    private func finishCheck(row b: Int, token: Int32) -> GenerationEvent {
        var reason: FinishReason?
        if parameters.eosTokenIds.contains(token) {
            reason = .stop
        } else if let decoder, state.texts[b].append(decoder.bytes(of: token)) {
            reason = .stop
        }
        if reason == nil && state.histories[b].generatedCount >= parameters.maxNewTokens { reason = .length }
        if let reason {
            state.finishReasons[b] = reason
            state.finishedAt[b] = state.histories[b].generatedCount
        }
        let delta = decoder == nil ? "" : state.texts[b].takeDelta(final: reason != nil)
        return GenerationEvent(row: b, token: token, textDelta: delta, finishReason: reason)
    }

    /// Copies a `[B, V]` logits tensor into a flat array after checking its shape.
    static func rows(of logits: Tensor, batch: Int, vocabularySize: Int) throws -> [Float] {
        guard logits.shape == [batch, vocabularySize] else {
            throw AlignDecodingError.logitsShapeMismatch(expected: [batch, vocabularySize], actual: logits.shape)
        }
        return logits.scalars
    }
}
