// ReferenceSync: TR-DPO's moving reference (Gorbatovski et al. 2024, "Learn Your Reference Model for Real Good
// Alignment", arXiv 2404.09656) as TRL 1.16 runs it — DPOConfig's `sync_ref_model` (false), `ref_model_mixup_alpha`
// (0.6) and `ref_model_sync_steps` (512), applied by trl/trainer/callbacks.py SyncRefModelCallback.on_step_end:
// after every optimizer step whose global step is a multiple of τ = ref_model_sync_steps, each reference parameter
// becomes θ_ref ← α·θ + (1 − α)·θ_ref (α = 1 is a hard copy). A synced reference changes during training, so its
// log-probs are computed per batch from the live model and never precomputed or cached (TRL raises for
// `precompute_ref_log_probs=True`), and TRL refuses PEFT policies for lack of a standalone reference — so do we.
import AlignModels
import AlignTensor

/// TR-DPO's reference-sync settings, with TRL's names and defaults.
public struct ReferenceSync: Codable, Sendable, Equatable {
    /// `sync_ref_model`: mix the policy into the reference every `refModelSyncSteps` optimizer steps.
    public var syncRefModel = false
    /// `ref_model_mixup_alpha` α: the policy's share of the new reference (TR-DPO's soft update).
    public var refModelMixupAlpha = 0.6
    /// `ref_model_sync_steps` τ: optimizer steps between syncs.
    public var refModelSyncSteps = 512

    enum CodingKeys: String, CodingKey {
        case syncRefModel = "sync_ref_model", refModelMixupAlpha = "ref_model_mixup_alpha"
        case refModelSyncSteps = "ref_model_sync_steps"
    }

    public init(syncRefModel: Bool = false, refModelMixupAlpha: Double = 0.6, refModelSyncSteps: Int = 512) {
        (self.syncRefModel, self.refModelMixupAlpha, self.refModelSyncSteps) = (syncRefModel, refModelMixupAlpha, refModelSyncSteps)
    }

    /// Range checks naming the key (TRL does not check them; α outside [0, 1] would extrapolate).
    public func validate() throws {
        if !(refModelMixupAlpha >= 0 && refModelMixupAlpha <= 1) {
            throw TrainingError.invalidConfig(field: "ref_model_mixup_alpha", value: "\(refModelMixupAlpha)", expected: "in [0, 1]")
        }
        if refModelSyncSteps < 1 {
            throw TrainingError.invalidConfig(field: "ref_model_sync_steps", value: "\(refModelSyncSteps)", expected: "≥ 1")
        }
    }

    /// Whether the reference is synced after optimizer step `step` (TRL: `global_step % ref_model_sync_steps == 0`).
    public func syncs(afterStep step: Int) -> Bool { syncRefModel && step > 0 && step % refModelSyncSteps == 0 }

    /// θ_ref ← α·θ + (1 − α)·θ_ref for every parameter, matched by checkpoint name (in place, not recorded).
    /// TRL's `target.mul_(1 − α).add_(source, alpha=α)`, in Float32 as there.
    public static func mix(policy: DecoderModel, into reference: DecoderModel, alpha: Double) {
        let source = Dictionary(policy.namedParameters(), uniquingKeysWith: { a, _ in a })
        let a = Float(alpha), keep = Float(1 - alpha)
        for (name, target) in reference.namedParameters() {
            guard let p = source[name] else { preconditionFailure("reference and policy differ at \(name)") }
            precondition(p.count == target.count, "reference \(name) \(target.shape) vs policy \(p.shape)")
            target.withUnsafeMutableBuffer { t in p.withUnsafeBuffer { s in
                for i in 0 ..< t.count { t[i] = t[i] * keep + a * s[i] }
            } }
        }
    }

    /// A frozen copy of `model`'s weights (the initial policy as TR-DPO's starting reference).
    public static func copy(of model: DecoderModel) -> DecoderModel {
        let out = DecoderModel(spec: model.spec)
        let source = Dictionary(model.namedParameters(), uniquingKeysWith: { a, _ in a })
        for (name, t) in out.namedParameters() {
            if let s = source[name] { t.assign(s) }
        }
        return out
    }
}
