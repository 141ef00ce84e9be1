// AlignDecoding: the generation loop, logits processors, samplers and reward-guided search.
// See Docs/architecture.md for where this module sits; later issues fill it in.

/// Namespace for module-level facts of AlignDecoding.
public enum AlignDecodingModule {
    /// The module's name, as used in logs and reports.
    public static let name = "AlignDecoding"
}
