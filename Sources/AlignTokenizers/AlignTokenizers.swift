// AlignTokenizers: the tokenizer.json pipeline, the byte vocabulary, streaming detokenization and chat templates.
// See Docs/architecture.md for where this module sits; later issues fill it in.

/// Namespace for module-level facts of AlignTokenizers.
public enum AlignTokenizersModule {
    /// The module's name, as used in logs and reports.
    public static let name = "AlignTokenizers"
}
