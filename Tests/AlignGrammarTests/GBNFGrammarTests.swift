// Accept/reject tables for the GBNF front end (llama.cpp grammars/README.md examples) and its errors.
import Testing
import AlignGrammar

@Suite("GBNF front end")
struct GBNFGrammarTests {
    static let arithmetic = """
    # arithmetic, left-recursive on purpose (Earley handles it)
    root  ::= expr
    expr  ::= expr ("+" | "-") term | term
    term  ::= term "*" factor
            | factor
    factor ::= [0-9]+ | "(" expr ")"
    """

    static let table: [(String, [String], [String])] = [
        (arithmetic, ["1", "1+2*3", "(1+2)*3", "12-(3)"], ["", "+1", "1+", "(1", "1)"]),
        ("root ::= \"a\"{2,3} [^a-c]? \"\\n\"", ["aa\n", "aaad\n"], ["a\n", "aaaa\n", "aab\n"]),
        ("root ::= ws \"x\" ws\nws ::= [ \\t]*", ["x", "  x\t"], [" y"]),
        ("root ::= (\"ab\" | \"c\")* \"!\"", ["!", "abc!", "cab!"], ["a!", "abab"]),
        ("root ::= \"\\u00e9\" . [\\x41-\\x42]", ["é日A", "éxB"], ["éxC", "exA"]),
        ("root ::= item{2}\nitem ::= [a-z] \",\"", ["a,b,"], ["a,", "a,b,c,"]),
    ]

    @Test("grammars accept and reject whole strings", arguments: 0..<table.count)
    func table(_ i: Int) throws {
        let (src, good, bad) = Self.table[i]
        let g = try CompiledGrammar(GBNFGrammar.compile(src))
        for s in good { #expect(try matchesFully(g, s), "should accept \(s.debugDescription)") }
        for s in bad { #expect(try !matchesFully(g, s), "should reject \(s.debugDescription)") }
    }

    @Test("undefined rules and syntax errors are reported with their place")
    func errors() {
        #expect(throws: AlignGrammarError.undefinedRule(name: "missing")) { try GBNFGrammar.compile("root ::= missing") }
        #expect(throws: AlignGrammarError.undefinedRule(name: "root")) { try GBNFGrammar.compile("a ::= \"x\"") }
        do { _ = try GBNFGrammar.compile("root ::= \"a\"\nb ::= [a-"); Issue.record("compiled") } catch {
            #expect("\(error)".contains("line 2"), "\(error)")
        }
    }

    @Test("a grammar with no finite sentence is rejected at compile time")
    func emptyLanguage() {
        #expect(throws: AlignGrammarError.emptyLanguage) { try CompiledGrammar(GBNFGrammar.compile("root ::= root \"a\"")) }
    }
}
