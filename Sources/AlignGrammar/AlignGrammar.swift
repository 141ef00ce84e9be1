// AlignGrammar: the grammar IR, its front ends (GBNF, Lark-style EBNF, regex, JSON Schema), the byte-level parser and token masks.
// See Docs/architecture.md for where this module sits; later issues fill it in.

/// Namespace for module-level facts of AlignGrammar.
public enum AlignGrammarModule {
    /// The module's name, as used in logs and reports.
    public static let name = "AlignGrammar"
}
