// DecoderModel+CausalLM: AlignModels' decoder driven by the generation loop. It mirrors what
// transformers 5.23's `generate` feeds a decoder-only model (generation/utils.py,
// `_prepare_attention_mask_for_generation`, `_update_model_kwargs_for_generation` and Llama's
// `prepare_inputs_for_generation`):
// - prompts of different lengths are left-padded to one length T with attention mask 0 on the padding;
// - position ids are `attention_mask.cumsum(-1) - 1` with padded positions filled with 1, so each row's
//   first real token sits at position 0 whatever its padding;
// - every step appends one token to every row (finished rows get the pad id) and a 1 to every mask row,
//   so all rows share one cache length S while each row's next position is its own count of real tokens.
// The cache is a `KVCache` plus that mask; fork copies it, rollback trims both, selectRows gathers rows.

import AlignModels
import AlignTensor

/// A `DecoderModel`'s decoding state: the KV cache and the padding mask over its positions.
public struct DecoderCache {
    /// Keys and values of every cached position, [B, S, Hkv, D] per layer.
    public let kv: KVCache
    /// [B][S] 1 = real token (or a token fed after the row finished), 0 = left padding.
    public internal(set) var attentionMask: [[Int32]]

    /// True when some row has padding (the attention then needs the mask).
    var hasPadding: Bool { attentionMask.contains { $0.contains(0) } }

    /// Each row's position id for the next token: its number of unmasked positions.
    var nextPositions: [Int] { attentionMask.map { $0.reduce(0) { $0 + Int($1) } } }
}

extension DecoderModel: CausalLM {
    public typealias Cache = DecoderCache

    public var vocabularySize: Int { spec.vocabSize }

    /// Left-pads the prompts, runs them through the model and returns the last position's logits [B, V].
    public func prefill(_ prompts: [[Int32]]) throws -> (logits: Tensor, cache: DecoderCache) {
        let t = prompts.map(\.count).max() ?? 0
        guard t > 0, !prompts.contains(where: \.isEmpty) else {
            throw AlignDecodingError.emptyPrompt(row: prompts.firstIndex(where: \.isEmpty) ?? 0)
        }
        // The pad id's embedding never reaches a real position (masked keys), so 0 is as good as any.
        let ids = prompts.map { Array(repeating: Int32(0), count: t - $0.count) + $0 }  // [B][T]
        let mask = prompts.map { Array(repeating: Int32(0), count: t - $0.count) + Array(repeating: 1, count: $0.count) }
        let cache = DecoderCache(kv: KVCache(layers: spec.layers), attentionMask: mask)
        let logits = try lastLogits(ids, cache: cache, positions: DecoderModel.positionIDs(attentionMask: mask))
        return (logits, cache)
    }

    /// Appends one token per row and returns the next-token logits [B, V].
    public func step(_ tokens: [Int32], cache: inout DecoderCache) throws -> Tensor {
        guard tokens.count == cache.attentionMask.count else {
            throw AlignDecodingError.invalidParameter(parameter: "tokens", value: "\(tokens.count) tokens",
                                                      expected: "one per cached row (\(cache.attentionMask.count))")
        }
        let positions = cache.nextPositions.map { [$0] }  // [B][1]
        for b in cache.attentionMask.indices { cache.attentionMask[b].append(1) }
        return try lastLogits(tokens.map { [$0] }, cache: cache, positions: positions)
    }

    public func fork(_ cache: DecoderCache) throws -> DecoderCache {
        DecoderCache(kv: cache.kv.copy(), attentionMask: cache.attentionMask)
    }

    public func rollback(_ cache: inout DecoderCache, count: Int) throws {
        let length = cache.kv.length
        guard count >= 0, count <= length else {
            throw AlignDecodingError.rollbackTooFar(requested: count, available: length)
        }
        cache.kv.trim(to: length - count)
        for b in cache.attentionMask.indices { cache.attentionMask[b].removeLast(count) }
    }

    public func selectRows(_ cache: DecoderCache, rows: [Int]) throws -> DecoderCache {
        let b = cache.attentionMask.count
        if let bad = rows.first(where: { $0 < 0 || $0 >= b }) {
            throw AlignDecodingError.invalidParameter(parameter: "rows", value: "\(bad)", expected: "a row in 0..<\(b)")
        }
        return DecoderCache(kv: cache.kv.selectingRows(rows), attentionMask: rows.map { cache.attentionMask[$0] })
    }

    /// Runs `ids` [B][T] on top of the cache (which must already hold the new mask columns) and returns
    /// the logits of each row's last position, [B, V] — the LM head only on those B rows (a matrix–vector
    /// product at B = 1; a decoding step's T = 1 hidden states are used in place, without a copy).
    private func lastLogits(_ ids: [[Int32]], cache: DecoderCache, positions: [[Int]]) throws -> Tensor {
        try Autograd.withoutGrad {
            let mask = cache.hasPadding ? cache.attentionMask : nil
            let h = try hiddenStates(ids, attentionMask: mask, positions: positions, cache: cache.kv)  // [B, T, C]
            let (b, t, c) = (h.shape[0], h.shape[1], h.shape[2])
            let hl: Tensor  // [B, C]
            if t == 1 {
                hl = h.reshaped([b, c])
            } else {
                var last = [Float](repeating: 0, count: b * c)
                h.withUnsafeBuffer { ph in
                    for r in 0 ..< b { for j in 0 ..< c { last[r * c + j] = ph[(r * t + t - 1) * c + j] } }
                }
                hl = try Tensor(last, shape: [b, c])
            }
            return Tensor.rowAwareMatmul(hl, outputWeight, transposeB: true)  // [B, V]
        }
    }
}
