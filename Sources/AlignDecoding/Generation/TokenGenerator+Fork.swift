// TokenGenerator+Fork: fork (an independent copy of the whole decoding state, the model cache
// copied through `CausalLM.fork`) and rollback (remove the last n tokens of every row: histories,
// processor state, text and finish status are trimmed, the cache is trimmed and the logits of the
// new last position recomputed). Because a row's i-th draw uses Philox position i, regenerating
// after a rollback reproduces the same tokens — the property search methods rely on.

extension TokenGenerator {
    /// An independent generator continuing from the same state.
    public func fork() throws -> TokenGenerator {
        var copy = state
        copy.cache = try model.fork(state.cache)
        copy.processors = state.processors.map { $0.forked() }
        return TokenGenerator(model: model, parameters: parameters, decoder: decoder, sampler: sampler, state: copy)
    }

    /// Removes the last `count` tokens of every row (0 ≤ count ≤ tokens generated).
    ///
    /// - Throws: `rollbackTooFar` if a row has fewer generated tokens; the model's errors.
    public func rollback(_ count: Int) throws {
        let generated = state.histories.first?.generatedCount ?? 0
        guard count >= 0, count <= generated else {
            throw AlignDecodingError.rollbackTooFar(requested: count, available: generated)
        }
        guard count > 0 else { return }
        let newCount = generated - count
        for b in state.histories.indices { try rollbackRow(b, to: newCount) }
        // The cache must hold every token but the last; the last is re-fed for fresh logits.
        let held = state.histories[0].tokens.count + count - (state.cacheIsBehind ? 1 : 0)
        try model.rollback(&state.cache, count: held - (state.histories[0].tokens.count - 1))
        let last = state.histories.map { $0.tokens[$0.tokens.count - 1] }
        let logits = try model.step(last, cache: &state.cache)
        state.nextLogits = try Self.rows(of: logits, batch: last.count, vocabularySize: model.vocabularySize)
        state.cacheIsBehind = false
    }

    /// Trims row `b` to `newCount` generated tokens and rebuilds its text and finish status.
    private func rollbackRow(_ b: Int, to newCount: Int) throws {
        let history = state.histories[b]
        let accepted = state.finishedAt[b] ?? history.generatedCount
        let removedAccepted = max(0, accepted - newCount)
        for p in state.processors.indices where removedAccepted > 0 {
            try state.processors[p].rollback(count: removedAccepted, row: b)
        }
        state.histories[b].tokens.removeLast(history.generatedCount - newCount)
        if let at = state.finishedAt[b], at > newCount {
            state.finishedAt[b] = nil
            state.finishReasons[b] = nil
        }
        var text = RowText(stops: parameters.stopStrings)
        if let decoder {
            for token in state.histories[b].generated.prefix(min(accepted, newCount))
            where !parameters.eosTokenIds.contains(token) {
                _ = text.append(decoder.bytes(of: token))
            }
        }
        text.markEmitted(state.texts[b].emitted)
        state.texts[b] = text
    }
}
