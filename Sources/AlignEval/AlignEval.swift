// AlignEval: verifiers, IFEval, constraint satisfaction, preference metrics and reports.
// See Docs/architecture.md for where this module sits; later issues fill it in.

/// Namespace for module-level facts of AlignEval.
public enum AlignEvalModule {
    /// The module's name, as used in logs and reports.
    public static let name = "AlignEval"
}
