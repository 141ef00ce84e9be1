// RegexGrammar: the regex front end — a whole-output regular expression becomes a one-terminal grammar
// (the DFA does all the work). Semantics: the output must match entirely (as xgrammar's compile_regex),
// over UTF-8 bytes.

/// Compiles regular expressions to grammars.
public enum RegexGrammar {
    /// A grammar whose sentences are exactly the UTF-8 strings fully matched by `pattern`.
    public static func compile(_ pattern: String, maxStates: Int = 50_000) throws -> Grammar {
        let b = GrammarBuilder()
        b.maxTerminalStates = maxStates
        let root = b.newRule("root")
        b.define(root, try b.terminal(try RegexLowering.fullLanguage(pattern, encoding: .utf8)))
        return try b.build(start: root)
    }
}
