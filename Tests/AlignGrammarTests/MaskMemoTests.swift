// MaskMemo: inside a lexeme that began before the current position, a matcher reuses its last masks
// when the root lexer state, the origin lists and the id of the chart set at the largest origin are
// the same. These tests check that the reuse happens where it should (an unbounded string body) and
// that it never survives a rollback that rebuilt the chart behind the same lexer state.
import Testing
@testable import AlignGrammar

@Suite("Mask memo: reuse of whole masks inside a lexeme")
struct MaskMemoTests {
    static let tokens = ["x", "y", "\"", "a", "b", "ab", "\"1", "\"2", "1", "2", "{\"", "\":\"", "\"}", "k"]

    static func ids(_ words: [String]) -> [Int] { words.map { w in tokens.firstIndex(of: w) ?? -1 } }

    static func allowed(_ mask: [UInt32], _ token: String) -> Bool {
        guard let id = tokens.firstIndex(of: token) else { return false }
        return mask[id >> 5] & (1 << UInt32(id & 31)) != 0
    }

    @Test("masks inside an unbounded string body are reused and equal the reference walk")
    func reuseInStringBody() throws {
        let vocab = try TestVocab.toy(Self.tokens)
        let g = try JSONSchemaGrammar.compiled(#"{"type":"object","properties":{"k":{"type":"string"}},"required":["k"]}"#,
                                               options: JSONSchemaOptions(whitespace: .compact))
        let body = Array(repeating: ["ab", "a", "b"], count: 4).flatMap { $0 }
        let ids = Self.ids(["{\"", "k", "\":\""] + body + ["\"}"])
        let m = GrammarMatcher(grammar: g, vocabulary: vocab)
        for id in ids {
            #expect(m.computeMask() == m.computeMaskReference())
            #expect(m.acceptToken(id))
        }
        #expect(m.isAccepting)
        // Thirteen masks lie inside the body (before each body token and before the closing quote):
        // the first is computed, the other twelve (same lexer state, same string start) are copies.
        #expect(m.scratch.maskMemo.hits == body.count)
    }

    @Test("a rollback that rebuilds the chart behind the same lexer state gets a fresh mask")
    func rollbackInvalidates() throws {
        let vocab = try TestVocab.toy(Self.tokens)
        // The string is one terminal, so its item after `x"ab` and after `y"ab` is the same (same dot,
        // DFA state and origin 1), but what may follow the closing quote differs.
        let g = try LarkGrammar.compiled(#"""
            start: "x" STR "1" | "y" STR "2"
            STR: /"[ab]*"/
            """#)
        let m = GrammarMatcher(grammar: g, vocabulary: vocab)
        for id in Self.ids(["x", "\"", "ab"]) { #expect(m.acceptToken(id)) }
        let first = m.computeMask()
        #expect(Self.allowed(first, "\"1") && !Self.allowed(first, "\"2"))
        #expect(m.computeMask() == first)
        #expect(m.scratch.maskMemo.hits == 1)
        m.reset()
        for id in Self.ids(["y", "\"", "ab"]) { #expect(m.acceptToken(id)) }
        let second = m.computeMask()
        #expect(m.scratch.maskMemo.hits == 1, "the mask after the rollback must not come from the memo")
        #expect(second == m.computeMaskReference())
        #expect(Self.allowed(second, "\"2") && !Self.allowed(second, "\"1"))
    }

    @Test("positions whose items start at the current position are never memoized")
    func notAtLexemeStart() throws {
        let vocab = try TestVocab.toy(Self.tokens)
        let g = try CompiledGrammar(GBNFGrammar.compile(#"root ::= ("x" | "y")*"#))
        let m = GrammarMatcher(grammar: g, vocabulary: vocab)
        for id in Self.ids(["x", "y", "x", "x"]) {
            _ = m.computeMask()
            _ = m.computeMask()
            #expect(m.acceptToken(id))
        }
        #expect(m.scratch.maskMemo.hits == 0)
        #expect(m.scratch.maskMemo.entries.isEmpty)
    }
}
