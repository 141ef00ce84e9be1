// SequenceClassifier: a reward / value model — a decoder (without its LM head) and a linear scalar
// head `score` ([num_labels, C], no bias) read at one token per row, in transformers' layout
// (transformers 5.23 modeling_layers.py GenericForSequenceClassification, used by
// Llama/Mistral/Qwen2/Qwen3ForSequenceClassification; GPT2ForSequenceClassification is the same with
// the `transformer.` prefix). Which token: the rightmost one whose id is not `pad_token_id` —
// `(arange(T) * (input_ids != pad)).argmax(-1)` — so left and right padding both work, a row whose
// last real token *is* the pad id (pad == eos) is read one token earlier, as transformers does, and
// an all-pad row is read at 0. Without a pad id only batch size 1 is defined (read at T − 1).
// The head is applied only to the pooled rows ([B, C] · Wᵀ), which is the same arithmetic as
// transformers' "score every position then pool" without the [B, T, num_labels] intermediate.
import AlignTensor

/// A decoder with a scalar (or `num_labels`-wide) head, as `AutoModelForSequenceClassification` builds it.
///
///     let rm = try SequenceClassifier.load(directory: rewardModelDir)
///     let r = try rm.scores(ids, attentionMask: mask)   // [B, 1]
public final class SequenceClassifier: Module {
    /// The base decoder; its `lmHead` is always nil (a classifier has none).
    public let base: DecoderModel
    /// `score`: Linear(C → num_labels, bias=False); weight [num_labels, C].
    public let score: Linear
    /// num_labels, pad_token_id and the class name written on save.
    public var config: SequenceClassificationConfig
    /// `score.weight` as it was before `attachLoRA` (PEFT keeps the original beside the trained copy).
    var scoreBeforeAdapter: Tensor?

    /// A zero-initialized classifier for `spec` (weights come from `load…` or the caller).
    public init(spec: DecoderSpec, config: SequenceClassificationConfig) {
        base = DecoderModel(spec: spec)
        base.lmHead = nil
        score = Linear(inFeatures: spec.hiddenSize, outFeatures: config.numLabels, bias: false)
        self.config = config
    }

    /// Number of outputs per sequence.
    public var numLabels: Int { config.numLabels }

    /// The position pooled in each row: the rightmost token whose id is not `padTokenID`
    /// (transformers' `(token_indices * non_pad_mask).argmax(-1)`: ties resolve to the first index,
    /// so a row of only pad ids gives 0). With no pad id, every row is read at T − 1.
    public static func pooledIndices(_ ids: [[Int32]], padTokenID: Int?) -> [Int] {
        ids.map { row in
            guard let pad = padTokenID else { return row.count - 1 }
            return row.lastIndex(where: { Int($0) != pad }) ?? 0
        }
    }

    /// Head outputs [B, num_labels] for `ids` ([B][T], equal lengths).
    /// - Parameters:
    ///   - attentionMask: [B][T] 1 = token, 0 = padding (nil = all ones), as transformers takes it.
    ///   - positions: [B][T] position ids; nil = transformers' default 0..<T for every row.
    /// - Throws: `invalidConfig` (pad_token_id) for B > 1 without a pad id; shape errors from the decoder.
    public func scores(_ ids: [[Int32]], attentionMask: [[Int32]]? = nil, positions: [[Int]]? = nil) throws -> Tensor {
        let (b, t) = (ids.count, ids.first?.count ?? 0)
        if config.padTokenID == nil && b != 1 {
            // transformers raises "Cannot handle batch sizes > 1 if no padding token is defined."
            throw AlignModelsError.invalidConfig(file: "config.json", key: "pad_token_id",
                                                 reason: "is not set, so a batch of \(b) rows cannot be scored (set pad_token_id)")
        }
        let h = try base.hiddenStates(ids, attentionMask: attentionMask, positions: positions)  // [B, T, C]
        let rows = Self.pooledIndices(ids, padTokenID: config.padTokenID).enumerated().map { $0.offset * t + $0.element }
        let pooled = h.reshaped([b * t, base.spec.hiddenSize]).gatherRows(rows)  // [B, C]
        return score(pooled)  // [B, num_labels]
    }

    /// Base parameters under transformers' names (`model.…`), then `score.weight`.
    public func namedParameters() -> [(String, Tensor)] {
        base.namedParameters() + prefixed("score", score.namedParameters())
    }
}
