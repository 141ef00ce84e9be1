// AlignServer: the OpenAI-compatible HTTP routes.
// See Docs/architecture.md for where this module sits; later issues fill it in.

/// Namespace for module-level facts of AlignServer.
public enum AlignServerModule {
    /// The module's name, as used in logs and reports.
    public static let name = "AlignServer"
}
