// `align grammar check|walk`: compile a grammar and report its size and compile time; walk an instance
// token by token showing allowed-token counts and the first blocked token. Logic lives in AlignGrammar.
import AlignGrammar
import ArgumentParser
import Foundation

/// Groups the grammar subcommands.
public struct GrammarCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "grammar", abstract: "Compile grammars (JSON Schema, GBNF, Lark, regex) and walk instances through their token masks.",
        subcommands: [GrammarCheckCommand.self, GrammarWalkCommand.self])
    public init() {}
}

/// The grammar source options shared by the subcommands.
struct GrammarSourceOptions: ParsableArguments {
    @Option(help: "A JSON Schema file.") var schema: String?
    @Option(help: "A GBNF grammar file (llama.cpp format).") var gbnf: String?
    @Option(help: "A regular expression the whole output must match.") var regex: String?
    @Option(help: "A Lark grammar file (llguidance's dialect: rules, TERMINALS, %ignore, %import common, %json).") var lark: String?
    @Flag(help: "Report unsupported JSON Schema keywords as warnings instead of failing.") var lenient = false
    @Flag(help: "Allow object properties in any order (exact for ≤ 8 declared properties).") var anyOrder = false
    @Flag(help: "No whitespace between JSON tokens (default: up to 16 at each place).") var compact = false

    func validate() throws {
        if [schema, gbnf, regex, lark].compactMap({ $0 }).count != 1 { throw ValidationError("give exactly one of --schema, --gbnf, --regex, --lark") }
    }

    var jsonOptions: JSONSchemaOptions {
        JSONSchemaOptions(whitespace: compact ? .compact : .flexible(maxRun: 16), propertyOrder: anyOrder ? .any : .declared, lenient: lenient)
    }

    func compile() throws -> CompiledGrammar {
        if let schema {
            let (g, w) = try JSONSchemaGrammar.compile(String(contentsOfFile: schema, encoding: .utf8), options: jsonOptions)
            return try CompiledGrammar(g, warnings: w)
        }
        if let gbnf { return try CompiledGrammar(GBNFGrammar.compile(String(contentsOfFile: gbnf, encoding: .utf8))) }
        if let lark {
            let options = LarkOptions(json: jsonOptions)
            return try LarkGrammar.compiled(String(contentsOfFile: lark, encoding: .utf8), options: options)
        }
        return try CompiledGrammar(RegexGrammar.compile(regex ?? ""))
    }
}

func milliseconds(since t: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e6 }

/// `align grammar check`.
struct GrammarCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Compile a grammar and report its size and compile time.")
    @OptionGroup var source: GrammarSourceOptions
    @Option(help: "tokenizer.json (or its folder): also time the first mask.") var tokenizer: String?

    func run() throws {
        let t0 = DispatchTime.now()
        let g: CompiledGrammar
        do { g = try source.compile() } catch let e as AlignGrammarError { print("error: \(e)"); throw ExitCode(2) }
        let ms = milliseconds(since: t0)
        print(String(format: "compiled in %.2f ms: %d rules, %d symbols, %d terminal states", ms, g.flat.ruleCount, g.flat.symbolCount, g.flat.terminalStateCount))
        for w in g.warnings { print("warning: \(w)") }
        if let tokenizer {
            let v = try GrammarVocabulary(path: tokenizer)
            let m = GrammarMatcher(grammar: g, vocabulary: v.vocab)
            let t1 = DispatchTime.now()
            let mask = m.computeMask()
            print(String(format: "first mask: %d allowed of %d in %.3f ms", mask.reduce(0) { $0 + $1.nonzeroBitCount }, v.vocab.logitDimension, milliseconds(since: t1)))
        }
    }
}
