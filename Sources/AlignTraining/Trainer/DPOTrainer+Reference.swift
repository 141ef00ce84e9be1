// DPOTrainer's reference side: the precomputed reference log-probs of a fixed reference, or — with TR-DPO's
// `sync_ref_model` (ReferenceSync.swift) — a live reference model run on every micro-batch without gradients,
// mixed toward the policy after every τ-th optimizer step (TRL SyncRefModelCallback.on_step_end) and saved in
// each checkpoint as `ref_model.safetensors` (checkpoint names), so a resumed run continues from the same
// reference. TRL itself does not checkpoint the synced reference; resuming there restarts it from `ref_model`.
import AlignModels
import AlignTensor
import Foundation

extension DPOTrainer {
    /// The live reference of a synced run, or nil when the reference is fixed. Checks what TRL checks (no precomputed
    /// reference, no PEFT policy) plus that a given reference has exactly the policy's parameters.
    static func liveReference(policy: DecoderModel, reference: DecoderModel?, objective: any PairwiseObjective,
                              cache: ReferenceLogpsCache?, sync: ReferenceSync) throws -> DecoderModel? {
        guard sync.syncRefModel else { return nil }
        try sync.validate()
        func bad(_ value: String, _ expected: String) -> TrainingError {
            .invalidConfig(field: "sync_ref_model", value: value, expected: expected)
        }
        guard objective.needsReference else { throw bad("true", "an objective with a reference (this one is reference-free)") }
        if let cache {
            throw bad("true with ref_logps_cache_dir \(cache.directory.path)",
                      "no reference cache: a synced reference changes, so its log-probs cannot be precomputed")
        }
        guard policy.loraConfig == nil else {
            throw bad("true with LoRA adapters", "full fine-tuning (as TRL, no standalone reference exists to sync with PEFT)")
        }
        guard let reference else { return ReferenceSync.copy(of: policy) }
        let ours = policy.namedParameters().map { "\($0.0) \($0.1.shape)" }
        let theirs = reference.namedParameters().map { "\($0.0) \($0.1.shape)" }
        if ours != theirs {
            let i = (0 ..< max(ours.count, theirs.count)).first { $0 >= ours.count || $0 >= theirs.count || ours[$0] != theirs[$0] } ?? 0
            throw TrainingError.invalidConfig(field: "ref_model", value: i < theirs.count ? theirs[i] : "(no parameter \(i))",
                                              expected: "the policy's \(i < ours.count ? ours[i] : "(no parameter \(i))") to sync with")
        }
        return reference
    }

    /// The checkpoint piece holding the live reference's weights.
    static func referenceCheckpoint(_ live: DecoderModel) -> CheckpointExtra {
        CheckpointExtra(file: "ref_model.safetensors", tensors: { live.namedParameters() })
    }

    /// [2B] reference sequence log-probs of a micro-batch: chosen rows then rejected rows.
    func referenceValues(_ indices: [Int], _ examples: [TokenizedPreference]) throws -> [Float] {
        guard let live = liveReference else {
            return indices.map { referenceLogps[$0].0 } + indices.map { referenceLogps[$0].1 }
        }
        return try Autograd.withoutGrad {
            try Self.completionLogps(live, examples, padID: padID, sharePrompt: sharePrompt).sequenceLogps().scalars
        }
    }

    /// Mixes the policy into the live reference when this step is a sync step.
    func syncReferenceIfDue() {
        guard let live = liveReference, referenceSync.syncs(afterStep: loop.state.step) else { return }
        ReferenceSync.mix(policy: model, into: live, alpha: referenceSync.refModelMixupAlpha)
    }
}
