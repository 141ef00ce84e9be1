// One optimizer step of DPOTrainer: accumulate micro-batch gradients, clip, update, schedule.
import AlignModels
import AlignTensor

extension DPOTrainer {
    /// Loss and metrics of one micro-batch (recorded on the tape).
    func microBatch(_ indices: [Int]) throws -> ObjectiveOutput {
        let examples = indices.map { data[$0] }
        var input: PreferenceLogps
        if objective.needsPromptChosenNLL {
            input = try promptChosenLogps(PreferenceBatch.collate(examples, padID: padID))
        } else {
            input = try Self.completionLogps(model, examples, padID: padID, sharePrompt: sharePrompt)
        }
        if objective.needsReference {
            let refs = try referenceValues(indices, examples)
            let ref = Tensor(zeros: [refs.count])  // [2B]
            ref.withUnsafeMutableBuffer { _ = $0.update(fromContentsOf: refs) }
            input.referenceLogps = ref
        }
        return try objective.compute(input)
    }

    /// Per-token completion log-probs [2B, N] of `examples` under `model`, rows [chosen; rejected], with their mask.
    /// With `sharePrompt`, when every pair's two sequences have the same prompt, each pair runs as ONE packed row
    /// [prompt, chosen, rejected] (PackedCompletions: the prompt's states computed once, about 25% less work at
    /// P = C); else as TRL's two rows [prompt, chosen] and [prompt, rejected].
    static func completionLogps(_ model: DecoderModel, _ examples: [TokenizedPreference], padID: Int32,
                                sharePrompt: Bool) throws -> PreferenceLogps {
        let packable = sharePrompt && !examples.isEmpty && examples.allSatisfy { ex in
            ex.rejectedPrompt.map { $0 == ex.prompt } ?? true
        } && examples.contains { !$0.chosen.isEmpty || !$0.rejected.isEmpty }
        if packable {
            let packed = PackedCompletions(prompts: examples.map(\.prompt), completions: examples.map { [$0.chosen, $0.rejected] },
                                           padID: padID)
            return PreferenceLogps(tokenLogps: try model.tokenLogProbs(packed), completionMask: packed.completionMask)
        }
        let batch = PreferenceBatch.collate(examples, padID: padID)
        let logps = try model.tokenLogProbs(batch.ids, labels: batch.labels, attentionMask: batch.attentionMask)
        return PreferenceLogps(tokenLogps: logps, completionMask: batch.completionMask)
    }

    /// One forward with every next token as a label (ORPO): completion log-probs are its masked part, and the
    /// NLL is the token mean over the chosen rows' prompt + completion, as TRL ORPOTrainer's cross-entropy on
    /// `input_ids` where `attention_mask == 1` (the first token is never a label).
    func promptChosenLogps(_ batch: PreferenceBatch) throws -> PreferenceLogps {
        let labels: [[Int32]] = zip(batch.ids, batch.attentionMask).map { ids, mask in
            (0 ..< ids.count).map { i in i + 1 < ids.count && mask[i + 1] == 1 ? ids[i + 1] : -100 }
        }
        let full = try model.tokenLogProbs(batch.ids, labels: labels, attentionMask: batch.attentionMask)  // [2B, T]
        let b = batch.pairs
        let count = labels[0 ..< b].reduce(0) { $0 + $1.filter { $0 != -100 }.count }
        let nll = -full.rows(0 ..< b).sum() / Float(max(count, 1))
        return PreferenceLogps(tokenLogps: full * batch.completionMask, completionMask: batch.completionMask,
                               promptChosenNLL: nll)
    }

    /// Runs the step's micro-batches (`gradient_accumulation_steps`, fewer at an epoch's end; metrics averaged over
    /// them, tokens not counted) and one AdamW update, then syncs a live reference when due; returns the step's log.
    public func optimizerStep() throws -> StepLog {
        let log = try loop.averagedStep { (try microBatch($0), nil) }
        syncReferenceIfDue()
        return log
    }
}
