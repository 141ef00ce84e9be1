// Accept/reject tables and error messages for the Lark front end (llguidance's dialect, docs/syntax.md),
// on the byte vocabulary: lexer/parser split, %ignore placement, repetition forms, literals, imports.
import Testing
import AlignGrammar

@Suite("Lark front end")
struct LarkGrammarTests {
    static let table: [(String, [String], [String])] = [
        // %ignore sits between lexemes, never inside a terminal nor before the first lexeme
        ("start: NAME \"=\" INT\nNAME: /[a-z]+/\n%import common.INT\n%ignore \" \"", ["ab=1", "ab = 12"], ["a b=1", " ab=1", "ab=1 2"]),
        // a lowercase rule is split into lexemes, so ignored text may sit inside it
        ("start: digits \";\"\ndigits: /[0-9]/+\n%ignore \" \"", ["12;", "1 2 ;"], [";", "1 2; "]),
        // repetition forms: {n}, {n,m}, {n,}, ~n, ~n..m, [x], x?
        ("start: \"a\"{2} \"b\"{1,2} \"c\"{2,} \"d\"~1 \"e\"~0..1 [\"f\"] \"g\"?", ["aabccd", "aabbcccdefg"], ["abccd", "aabbbccd", "aabcd"]),
        // ranges, case-insensitive strings, terminal composition and alternatives
        ("start: ID (\",\" ID)*\nID: (\"a\"..\"c\")+ \"x\"i", ["abx", "cX,ax"], ["dx", "ab", "ax,"]),
        // string escapes (JSON syntax) and regex flags
        ("start: \"\\\"q\\\\\\n\" /a.c/s /b+/i", ["\"q\\\na\ncb", "\"q\\\naxcBb"], ["\"q\\\nabcc"]),
        // trailing ignored text only where the parser could take another lexeme (llguidance's lexer)
        ("start: e\ne: e \"+\" INT | INT\n%import common.INT\n%ignore \" \"", ["1 + 2 ", "1 "], [" 1", "1 2"]),
        ("start: \"x\" INT (\",\" INT)*\n%import common.INT\n%ignore \" \"", ["x 1", "x 1, 2 "], ["x1\n", " x1"]),
        ("start: \"x\" INT\n%import common.INT\n%ignore \" \"", ["x 1"], ["x1 "]),
        // an empty alternative and an alias
        ("start: \"x\" (\"y\" -> why | )\n", ["x", "xy"], ["y"]),
    ]

    @Test("grammars accept and reject whole strings", arguments: 0..<table.count)
    func table(_ i: Int) throws {
        let (src, good, bad) = Self.table[i]
        let g = try LarkGrammar.compiled(src)
        for s in good { #expect(try matchesFully(g, s), "should accept \(s.debugDescription)") }
        for s in bad { #expect(try !matchesFully(g, s), "should reject \(s.debugDescription)") }
    }

    @Test("%json embeds a JSON Schema as a rule")
    func json() throws {
        let src = "start: \"call \" args\nargs: %json {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}, \"required\": [\"n\"], \"additionalProperties\": false}"
        let g = try LarkGrammar.compiled(src, options: LarkOptions(json: JSONSchemaOptions(whitespace: .compact)))
        #expect(try matchesFully(g, "call {\"n\":5}"))
        #expect(try !matchesFully(g, "call {\"n\":\"5\"}"))
        #expect(try !matchesFully(g, "call {}"))
    }

    static let errors: [(String, Int, Int, String)] = [
        ("start: \"a\" b\nb: c\n", 2, 4, "undefined rule or terminal 'c'"),
        ("start: A\nA.2: \"a\"", 2, 2, "priority"),
        ("start: x{a}\nx: \"a\"", 1, 9, "template"),
        ("start: <|eot|>", 1, 8, "special token"),
        ("start: \"a\"\n%declare X", 2, 1, "%declare"),
        ("start: \"a\"\n%override start: \"b\"", 2, 1, "%override"),
        ("start: A\nA: \"a\" A", 2, 8, "recursive"),
        ("start: \"abc", 1, 12, "unterminated string"),
        ("start: \"a\"{3,1}", 1, 16, "out of order"),
        ("start: /a/x", 1, 8, "regex flag 'x'"),
        ("start: \"a\"\n%import foo.BAR", 2, 1, "only common"),
        ("start: \"a\"\n%import common.NOPE", 2, 1, "unknown terminal common.NOPE"),
        ("rule: \"a\"", 1, 1, "no 'start' rule"),
        ("start: A\nA: %json {}", 2, 4, "%json cannot be used inside a terminal"),
        ("start: \"a\"\nstart: \"b\"", 2, 1, "defined twice"),
        ("start: x\nx[lazy]: \"a\"", 2, 2, "rule options"),
        ("start: \"a\" \"b\"..\"cd\"", 1, 12, "single characters"),
    ]

    @Test("malformed grammars name their line, column and construct", arguments: 0..<errors.count)
    func errors(_ i: Int) {
        let (src, line, column, needle) = Self.errors[i]
        do {
            _ = try LarkGrammar.compile(src)
            Issue.record("compiled \(src.debugDescription)")
        } catch let AlignGrammarError.grammarSyntax(l, c, m) {
            #expect(l == line && c == column, "\(src.debugDescription): at \(l):\(c) — \(m)")
            #expect(m.contains(needle), "\(m)")
        } catch { Issue.record("\(src.debugDescription): unexpected \(error)") }
    }

    @Test("mutated grammars compile or throw AlignGrammarError, never crash")
    func fuzz() throws {
        let seeds = Self.table.map(\.0) + Self.errors.map(\.0)
        let alphabet = Array("abAB_:|()[]{}~.,\"/?*+%-> \n\\0123456789iscommonjsonignoreimport".unicodeScalars)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407   // Knuth's MMIX LCG
            return Int((state >> 33) % UInt64(n))
        }
        var compiled = 0, refused = 0
        for round in 0..<600 {
            var text = Array(seeds[round % seeds.count].unicodeScalars)
            for _ in 0..<(1 + next(4)) {
                let at = next(text.count + 1)
                switch next(3) {
                case 0 where at < text.count: text.remove(at: at)
                case 1: text.insert(alphabet[next(alphabet.count)], at: at)
                default: if at < text.count { text[at] = alphabet[next(alphabet.count)] }
                }
            }
            var src = ""
            src.unicodeScalars.append(contentsOf: text)
            do { _ = try LarkGrammar.compiled(src); compiled += 1 } catch is AlignGrammarError { refused += 1 }
        }
        #expect(compiled + refused == 600)
        #expect(compiled > 0 && refused > 0)
    }
}
