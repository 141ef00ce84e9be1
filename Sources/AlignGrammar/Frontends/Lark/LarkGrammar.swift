// LarkGrammar: the Lark-like EBNF front end's public entry point and options. The dialect is
// llguidance's (docs/syntax.md at guidance-ai/llguidance, 1.9.1): lowercase rules form the context-free
// part, UPPERCASE terminals and inline strings / regexes are lexemes (one DFA terminal each, so a
// terminal never contains ignored text), `%ignore` text may appear between two lexemes (not before the
// first nor after the last, as llguidance does), `%import common.X`, and `%json {…}` embeds a JSON
// Schema through JSONSchemaGrammar. One semantic difference: llguidance's lexer is greedy (a lexeme
// ends only where the next byte cannot extend it), while our Earley parser scans terminals
// scannerlessly and so also accepts splits a greedy lexer would miss (e.g. `start: INT INT` on "12").
// For grammars whose adjacent lexemes are separated (by punctuation or ignored text) the languages agree.

/// Options of the Lark front end.
public struct LarkOptions: Sendable {
    /// Options for `%json {…}` schemas (whitespace inside JSON, property order, lenient keywords).
    public var json: JSONSchemaOptions
    /// Upper bound on one terminal automaton.
    public var maxTerminalStates: Int
    /// The start rule.
    public var start: String

    public init(json: JSONSchemaOptions = JSONSchemaOptions(), maxTerminalStates: Int = 50_000, start: String = "start") {
        self.json = json; self.maxTerminalStates = maxTerminalStates; self.start = start
    }
}

/// Compiles Lark grammars to grammars.
public enum LarkGrammar {
    /// Compiles Lark text. Returns the grammar and the warnings of `%json` schemas (lenient mode).
    ///
    /// ```swift
    /// let (g, _) = try LarkGrammar.compile("start: NUMBER (\",\" NUMBER)*\n%import common.NUMBER")
    /// let compiled = try CompiledGrammar(g)
    /// ```
    /// - Throws: `AlignGrammarError.grammarSyntax` naming the line and column of a syntax error, an
    ///   unsupported construct, an undefined name or a recursive terminal.
    public static func compile(_ text: String, options: LarkOptions = LarkOptions()) throws -> (grammar: Grammar, warnings: [String]) {
        let file = try LarkReader.read(text)
        let c = LarkCompiler(file: file, options: options)
        let grammar = try c.run()
        return (grammar, c.warnings)
    }

    /// Compiles straight to a `CompiledGrammar`.
    public static func compiled(_ text: String, options: LarkOptions = LarkOptions()) throws -> CompiledGrammar {
        let (g, w) = try compile(text, options: options)
        return try CompiledGrammar(g, warnings: w)
    }
}
