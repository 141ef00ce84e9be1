// Accept/reject tables for the regex front end (full-match semantics), xgrammar test_regex style.
import Testing
import AlignGrammar

@Suite("Regex front end")
struct RegexGrammarTests {
    static let table: [(String, [String], [String])] = [
        ("abc", ["abc"], ["ab", "abcd", ""]),
        ("a|bc", ["a", "bc"], ["b", "abc"]),
        ("[a-c]+", ["a", "abcabc"], ["", "d", "abd"]),
        ("[^0-9]{2,3}", ["ab", "xyz"], ["a", "abcd", "a1"]),
        ("\\d{3}-\\d{4}", ["555-1234"], ["5551234", "55-1234"]),
        ("^(foo|bar)?baz$", ["baz", "foobaz", "barbaz"], ["fobaz", "foobarbaz"]),
        ("\\w+@\\w+\\.com", ["a_1@b.com"], ["a@b.org", "@b.com"]),
        ("x{2}y{0,1}z*", ["xx", "xxy", "xxyzzz"], ["x", "xxyy"]),
        ("[\\u00e9-\\u00ea]", ["é", "ê"], ["e", "ë"]),
        (".", ["a", "日", "😀"], ["\n", "ab"]),
        ("a{,3}", ["a{,3}"], ["aaa"]),   // Annex B: not a quantifier
        ("[-a]\\-[\\]]", ["--]", "a-]"], ["b-]"]),
        ("\\s\\S", [" x", "\tx"], ["  ", "xx"]),
    ]

    @Test("regexes accept and reject whole strings", arguments: 0..<table.count)
    func table(_ i: Int) throws {
        let (pattern, good, bad) = Self.table[i]
        let g = try CompiledGrammar(RegexGrammar.compile(pattern))
        for s in good { #expect(try matchesFully(g, s), "\(pattern) should accept \(s)") }
        for s in bad { #expect(try !matchesFully(g, s), "\(pattern) should reject \(s)") }
    }

    @Test("unsupported features are named")
    func unsupported() {
        for (p, feature) in [("(?=a)", "lookahead"), ("a\\1", "backreference"), ("\\bx", "word boundary"), ("\\p{L}", "property")] {
            do { _ = try RegexGrammar.compile(p); Issue.record("\(p) compiled") } catch {
                #expect("\(error)".contains(feature), "\(error)")
            }
        }
    }

    @Test("syntax errors carry the byte offset")
    func syntax() {
        #expect(throws: AlignGrammarError.regexSyntax(pattern: "(ab", offset: 3, message: "missing ')'")) {
            try RegexGrammar.compile("(ab")
        }
    }

    @Test("search semantics for JSON Schema patterns add unanchored sides")
    func search() throws {
        let d = try DFA(RegexLowering.searchLanguage("b+c", encoding: .utf8))
        #expect(d.matches(Array("abbcd".utf8)))
        #expect(!d.matches(Array("acd".utf8)))
        let e = try DFA(RegexLowering.searchLanguage("^a|b$", encoding: .utf8))
        #expect(e.matches(Array("ax".utf8)) && e.matches(Array("xb".utf8)))
        #expect(!e.matches(Array("xa".utf8)) && !e.matches(Array("bx".utf8)))
    }

    @Test("UTF-8 range splitting covers every scalar exactly once")
    func utf8Ranges() throws {
        let d = try DFA(RegexLowering.fullLanguage("[\\x7f-\\u{10000}]", encoding: .utf8))
        func utf8(_ c: UInt32) -> [UInt8] { Array(String(Unicode.Scalar(c)!).utf8) }
        for c: UInt32 in [0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000] {
            #expect(d.matches(utf8(c)), "U+\(String(c, radix: 16))")
        }
        #expect(!d.matches(utf8(0x7E)))
        #expect(!d.matches(utf8(0x10001)))
        #expect(!d.matches([0xED, 0xA0, 0x80]))   // a surrogate encoded as UTF-8
    }
}
