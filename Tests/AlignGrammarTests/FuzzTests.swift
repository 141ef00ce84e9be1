// Fuzzing: random regexes, GBNF grammars and mutated JSON Schemas (from the test suite) must either
// compile or throw an AlignGrammarError — never crash or hang — and a compiled grammar survives a
// random walk of allowed bytes. Seeded, bounded counts, small automaton limits.
import Foundation
import Testing
import AlignGrammar
import AlignTestSupport

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Fuzzing")
struct FuzzTests {
    static func randomWalk(_ g: CompiledGrammar, _ rng: inout SplitMix64) throws {
        let m = GrammarMatcher(grammar: g, vocabulary: try TestVocab.bytes())
        for _ in 0..<40 {
            let allowed = m.allowedBytes.members
            guard let b = allowed.randomElement(using: &rng) else { break }
            #expect(m.acceptToken(Int(b)))
        }
    }

    @Test("random regexes compile or fail with a typed error")
    func regexes() throws {
        var rng = SplitMix64(state: 7)
        let pieces = ["a", "b", "[a-c]", "[^x]", "\\d", "\\w", ".", "(", ")", "|", "*", "+", "?", "{2}", "{1,3}", "{2,}",
                      "^", "$", "\\", "[", "]", "-", "(?:", "\\u00e9", "日", "{", "}"]
        var compiled = 0
        for _ in 0..<1500 {
            let p = (0..<Int.random(in: 1...10, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            do {
                let g = try CompiledGrammar(RegexGrammar.compile(p, maxStates: 2_000))
                compiled += 1
                try Self.randomWalk(g, &rng)
            } catch is AlignGrammarError { continue }
        }
        #expect(compiled > 300)
    }

    @Test("random GBNF grammars compile or fail with a typed error")
    func gbnf() throws {
        var rng = SplitMix64(state: 11)
        let pieces = ["root", "::=", "a", "\"x\"", "[0-9]", "[^a]", "(", ")", "|", "*", "+", "?", "{1,2}", "\n", " ", "a ::= ", "\"\\n\"", "#c\n"]
        var compiled = 0
        for _ in 0..<800 {
            let src = "root ::= " + (0..<Int.random(in: 1...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: " ")
            do {
                let g = try CompiledGrammar(GBNFGrammar.compile(src))
                compiled += 1
                try Self.randomWalk(g, &rng)
            } catch is AlignGrammarError { continue }
        }
        #expect(compiled > 50)
    }

    @Test("mutated test-suite schemas compile or fail with a typed error")
    func schemas() throws {
        var rng = SplitMix64(state: 13)
        var schemas: [String] = []
        for f in SuiteRunner.files("").prefix(30) {
            if case .array(let groups) = try JSONParser.parse(Array(Data(contentsOf: f))) {
                for g in groups { if let s = g["schema"] { schemas.append(s.serialized) } }
            }
        }
        try #require(schemas.count > 50)
        let inserts = ["{", "}", "[", "]", ",", ":", "\"type\"", "\"integer\"", "1", "-5", "\"$ref\":\"#\"", "true", "\"minimum\":", "\"pattern\":\"a+\""]
        var compiled = 0
        var options = JSONSchemaOptions(whitespace: .compact, propertyOrder: .any)
        options.maxTerminalStates = 5_000
        for i in 0..<1500 {
            var text = Array(schemas[i % schemas.count])
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !text.isEmpty {
                let at = Int.random(in: 0..<text.count, using: &rng)
                if Bool.random(using: &rng) { text.remove(at: at) } else { text.insert(contentsOf: inserts.randomElement(using: &rng)!, at: at) }
            }
            do {
                let g = try JSONSchemaGrammar.compiled(String(text), options: options)
                compiled += 1
                try Self.randomWalk(g, &rng)
            } catch is AlignGrammarError { continue }
        }
        #expect(compiled > 100)
    }
}
