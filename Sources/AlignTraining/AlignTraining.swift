// AlignTraining: objectives, trainers, the training loop, checkpoints and metrics.
// See Docs/architecture.md for where this module sits; later issues fill it in.

/// Namespace for module-level facts of AlignTraining.
public enum AlignTrainingModule {
    /// The module's name, as used in logs and reports.
    public static let name = "AlignTraining"
}
