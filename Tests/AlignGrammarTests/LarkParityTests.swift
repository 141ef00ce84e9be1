// Parity of the Lark front end with llguidance 1.9.1 on Tests/Fixtures/grammar/lark_cases.json
// (written by scripts/fixtures/grammar_lark_fixture.py): ten realistic Lark grammars, each walked with
// accept and reject strings token by token on the shared 32k tokenizer. Verdicts must be identical (the
// same token is refused, the same strings are accepted at the end), and allowed-token counts identical
// wherever llguidance has a free choice (count > 1; where it forces bytes it reports only the canonical
// token, see ParityTests). Malformed grammars llguidance refuses must fail here too, on the same line.
// `%json` whitespace: llguidance's is unbounded, ours bounded; a bound of 128 exceeds the longest
// whitespace token of the 32k vocabulary (88 bytes), so the two allow the same tokens.
// Trailing ignored text (`1+2 `) is accepted as llguidance does when a left-recursive rule or a repetition
// could continue (see LarkCompiler+Open for the case still refused).
import Foundation
import Testing
import AlignGrammar
import AlignTestSupport

@Suite("Lark parity with llguidance")
struct LarkParityTests {
    struct Case: Decodable {
        let text: String; let token_ids: [Int]; let consumed: Int; let accepted: Bool; let allowed_counts: [Int]
    }
    struct GrammarCase: Decodable { let name: String; let grammar: String; let cases: [Case] }
    struct Malformed: Decodable { let name: String; let grammar: String; let llguidance_error: String }
    struct File: Decodable { let grammars: [GrammarCase]; let malformed: [Malformed] }

    static let file: File? = {
        guard let raw = try? Data(contentsOf: FixturePaths.fixture("grammar/lark_cases.json")) else { return nil }
        return try? JSONDecoder().decode(File.self, from: raw)
    }()

    @Test("the fixture holds ten grammars and nine malformed ones")
    func fixtureShape() throws {
        let f = try #require(Self.file)
        #expect(f.grammars.count == 10)
        #expect(f.grammars.reduce(0) { $0 + $1.cases.count } == 74)
        #expect(f.malformed.count == 9)
    }

    @Test("verdicts and allowed-token counts match llguidance", arguments: 0..<10)
    func grammar(_ index: Int) throws {
        let f = try #require(Self.file)
        guard let tok = TestVocab.tok32k else { Issue.record("tokenizer-32k.json missing"); return }
        let gc = f.grammars[index]
        let g = try LarkGrammar.compiled(gc.grammar, options: LarkOptions(json: JSONSchemaOptions(whitespace: .flexible(maxRun: 128))))
        for c in gc.cases { walk(c, g, tok.vocab, gc.name) }
    }

    /// (grammar, text) pairs where we refuse trailing ignored text llguidance accepts (see the header).
    static let knownDifferences: Set<String> = []

    private func walk(_ c: Case, _ g: CompiledGrammar, _ vocab: TokenVocabulary, _ name: String) {
        let m = GrammarMatcher(grammar: g, vocabulary: vocab)
        if Self.knownDifferences.contains("\(name) \(c.text)") {
            for id in c.token_ids { #expect(m.acceptToken(id)) }
            #expect(!m.isAccepting && c.accepted, "known difference changed: \(name) \(c.text.debugDescription)")
            return
        }
        var ours: [Int] = []
        for (step, expected) in c.allowed_counts.enumerated() {
            let mask = m.computeMask()
            let n = mask.reduce(0) { $0 + $1.nonzeroBitCount }
            ours.append(n)
            if expected > 1 { #expect(n == expected, "\(name) \(c.text.debugDescription) step \(step): \(n) vs llguidance \(expected)") }
            guard step < c.token_ids.count else { break }
            let id = c.token_ids[step]
            let ok = mask[id >> 5] & (1 << UInt32(id & 31)) != 0 && m.acceptToken(id)
            #expect(ok == (step < c.consumed), "\(name) \(c.text.debugDescription): token \(step) \(ok ? "accepted" : "refused"), llguidance consumed \(c.consumed)")
            if !ok { break }
        }
        if c.consumed == c.token_ids.count {
            #expect(m.isAccepting == c.accepted, "\(name) \(c.text.debugDescription): accepting \(m.isAccepting) vs llguidance \(c.accepted)")
        }
    }

    @Test("grammars llguidance refuses fail to compile here, naming the same line")
    func malformed() throws {
        let f = try #require(Self.file)
        for bad in f.malformed {
            do {
                _ = try LarkGrammar.compile(bad.grammar)
                Issue.record("\(bad.name) compiled")
            } catch let AlignGrammarError.grammarSyntax(line, column, message) {
                #expect(column >= 1 && !message.isEmpty)
                if let theirs = Self.line(bad.llguidance_error) { #expect(line == theirs, "\(bad.name): line \(line) vs llguidance \(theirs): \(message)") }
            } catch { Issue.record("\(bad.name): unexpected \(error)") }
        }
    }

    /// The line number in llguidance's "L(C): …" or "at L(C): …" message.
    static func line(_ message: String) -> Int? {
        var s = Substring(message)
        if s.hasPrefix("at ") { s = s.dropFirst(3) }
        guard let paren = s.firstIndex(of: "(") else { return nil }
        return Int(s[..<paren])
    }
}
