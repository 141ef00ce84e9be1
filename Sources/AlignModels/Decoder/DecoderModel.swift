// DecoderModel: the decoder-only language model shared by Llama, Mistral, Qwen2/3, SmolLM and
// GPT-2 — token (+ learned position) embeddings, blocks, final norm, LM head (tied or not).
// Forward paths: hidden states, full logits, and per-token log-probs of given labels through the
// fused LM head + log-softmax+gather in row chunks, so training never holds [B, T, V] logits at once.
import AlignTensor

/// A causal language model built from a `DecoderSpec`.
public final class DecoderModel: Module {
    public let spec: DecoderSpec
    /// [V, C] token embedding (`embed_tokens` / `wte`).
    public var embedTokens: Tensor
    /// [P, C] learned positions (GPT-2's `wpe`), else nil.
    public var positionEmbeddings: Tensor?
    public let blocks: [DecoderBlock]
    public let finalNorm: Norm
    /// [V, C] untied LM head, else nil (the embedding is used).
    public var lmHead: Tensor?
    /// The LoRA configuration of the attached adapters (see `attachLoRA`), nil without adapters.
    public internal(set) var loraConfig: LoRAConfig?
    /// Activation steering added to the residual stream after blocks (see `setSteering`); empty = none.
    public internal(set) var steering = ResidualSteering()

    public init(spec: DecoderSpec) {
        self.spec = spec
        embedTokens = Tensor(zeros: [spec.vocabSize, spec.hiddenSize])
        if case .learned(let p) = spec.positions { positionEmbeddings = Tensor(zeros: [p, spec.hiddenSize]) }
        blocks = (0 ..< spec.layers).map { _ in DecoderBlock(spec: spec) }
        finalNorm = Norm(dimension: spec.hiddenSize, kind: spec.norm)
        lmHead = spec.tiedEmbeddings ? nil : Tensor(zeros: [spec.vocabSize, spec.hiddenSize])
    }

    /// The weight the LM head multiplies by: [V, C].
    public var outputWeight: Tensor { lmHead ?? embedTokens }

    /// Final hidden states [B, T, C] for `ids` ([B][T], equal lengths).
    /// - Parameters:
    ///   - attentionMask: [B][S] 1 = token, 0 = padding over cached + new positions (nil = all ones).
    ///   - positions: [B][T] position ids; nil = transformers' default `cache_position`
    ///     (past length + 0..<T for every row, regardless of padding).
    ///   - cache: appended to, when given.
    public func hiddenStates(_ ids: [[Int32]], attentionMask: [[Int32]]? = nil, positions: [[Int]]? = nil,
                             cache: KVCache? = nil) throws -> Tensor {
        finalNorm(try residualStream(ids, attentionMask: attentionMask, positions: positions, cache: cache,
                                     blockCount: blocks.count))
    }

    /// The residual stream [B, T, C] after the first `blockCount` blocks (steering included), before the
    /// final norm. A `cache` is only appended to consistently when `blockCount` is every block.
    func residualStream(_ ids: [[Int32]], attentionMask: [[Int32]]?, positions: [[Int]]?, cache: KVCache?,
                        blockCount: Int, mask: AttentionMask? = nil) throws -> Tensor {
        let (b, t) = (ids.count, ids.first?.count ?? 0)
        guard ids.allSatisfy({ $0.count == t }) else {
            throw TensorError.shapeMismatch(op: "DecoderModel.forward", shapes: [ids.map(\.count)], expected: "rows of equal length")
        }
        let past = cache?.length ?? 0
        if let w = spec.slidingWindow, w <= 0 {
            throw TensorError.shapeMismatch(op: "DecoderModel.forward", shapes: [[w]], expected: "sliding_window > 0")
        }
        let pos = positions ?? Array(repeating: Array(past ..< past + t), count: b)
        var h = try Tensor.embedding(embedTokens, ids: ids.flatMap { $0 }, shape: [b, t],
                                     paddingIndex: spec.embeddingPaddingIndex)  // [B, T, C]
        var ctx = AttentionContext()
        switch spec.positions {
        case let .rotary(inv, scaling):
            (ctx.cos, ctx.sin) = try Rope.cosSin(inverseFrequencies: inv, positions: pos, attentionScaling: scaling)
        case .learned:
            if let wpe = positionEmbeddings {
                h = h + (try Tensor.embedding(wpe, ids: pos.flatMap { $0.map { Int32($0) } }, shape: [b, t]))
            }
        }
        if let mask = attentionMask {
            ctx.keyPadding = try Tensor(mask.flatMap { $0.map(Float.init) }, shape: [b, mask.first?.count ?? 0])
        }
        ctx.mask = mask
        for (i, block) in blocks.prefix(blockCount).enumerated() {
            h = steering.apply(to: block(h, ctx, cache: cache?.layers[i]), layer: i)
        }
        return h
    }

    /// Logits [B, T, V].
    public func logits(_ ids: [[Int32]], attentionMask: [[Int32]]? = nil, positions: [[Int]]? = nil,
                       cache: KVCache? = nil) throws -> Tensor {
        let h = try hiddenStates(ids, attentionMask: attentionMask, positions: positions, cache: cache)
        return Tensor.matmul(h, outputWeight, transposeB: true)
    }

    /// Per-token log π(labels) [B, T] (0 where the label is −100). The LM head and the log-softmax+gather run as
    /// one fused op (`Tensor.linearTokenLogProbs`) over the labelled positions only, `chunkRows` of them at a
    /// time, so neither training nor the reference pass holds [B, T, V] logits; its backward recomputes each
    /// chunk's logits instead of keeping them.
    public func tokenLogProbs(_ ids: [[Int32]], labels: [[Int32]], attentionMask: [[Int32]]? = nil,
                              positions: [[Int]]? = nil, chunkRows: Int = 256) throws -> Tensor {
        let (b, t) = (ids.count, ids.first?.count ?? 0)
        let h = try hiddenStates(ids, attentionMask: attentionMask, positions: positions).reshaped([b * t, spec.hiddenSize])
        return try Tensor.linearTokenLogProbs(h, weight: outputWeight, labels: labels.flatMap { $0 }, chunkRows: chunkRows)
            .reshaped([b, t])
    }

    public func namedParameters() -> [(String, Tensor)] {
        switch spec.names {
        case .llama:
            var p = [("model.embed_tokens.weight", embedTokens)]
            for (i, block) in blocks.enumerated() { p += prefixed("model.layers.\(i)", block.namedParameters()) }
            p += prefixed("model.norm", finalNorm.namedParameters())
            if let lmHead { p.append(("lm_head.weight", lmHead)) }
            return p
        case .gpt2:
            var p = [("transformer.wte.weight", embedTokens)]
            if let wpe = positionEmbeddings { p.append(("transformer.wpe.weight", wpe)) }
            for (i, block) in blocks.enumerated() { p += prefixed("transformer.h.\(i)", block.namedParameters()) }
            p += prefixed("transformer.ln_f", finalNorm.namedParameters())
            if let lmHead { p.append(("lm_head.weight", lmHead)) }
            return p
        }
    }
}

extension DecoderModel {
    /// Position ids as transformers' `generate` computes them from a padding mask:
    /// `attention_mask.cumsum(-1) - 1`, with padded positions set to 1 (`masked_fill_(mask == 0, 1)`),
    /// so a left-padded row's first real token sits at position 0. (A plain forward without
    /// `position_ids` uses `cache_position` = 0..<T instead, whatever the padding — the default here.)
    public static func positionIDs(attentionMask: [[Int32]]) -> [[Int]] {
        attentionMask.map { row in
            var seen = 0
            return row.map { m in
                if m == 0 { return 1 }
                seen += 1
                return seen - 1
            }
        }
    }
}
