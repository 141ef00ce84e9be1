// ReferenceModel: which model computes the reference log-probs of a trainer. A separate frozen reference
// (TRL's `ref_model`) is used as given; without one the reference is the policy's starting point — and
// for a policy with LoRA adapters that is its base model with the adapters bypassed, as TRL's DPOTrainer
// does for a PEFT model (`null_ref_context` → `disable_adapter()`, trl 1.16 dpo_trainer.py), so the
// reference never needs a second copy of the weights and never sees a trained or loaded adapter.
import AlignModels

enum ReferenceModel {
    /// Runs `body` on the reference: `reference` itself, or `policy` with its adapters bypassed.
    static func run<R>(policy: DecoderModel, reference: DecoderModel?, _ body: (DecoderModel) throws -> R) rethrows -> R {
        guard let reference, reference !== policy else { return try policy.withLoRADisabled { try body(policy) } }
        return try body(reference)
    }
}
