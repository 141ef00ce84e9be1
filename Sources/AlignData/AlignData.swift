// AlignData: TRL-style dataset formats, validation with file:line errors, tokenization and collation.
// See Docs/architecture.md for where this module sits; later issues fill it in.

/// Namespace for module-level facts of AlignData.
public enum AlignDataModule {
    /// The module's name, as used in logs and reports.
    public static let name = "AlignData"
}
