// The per-state transition briefs (`FlatGrammar.sole`, read by the root walk's raw steps) are computed
// while the terminal DFAs are copied, and the slicer's `soleBody` shortcut answers from them what the
// per-character analysis (`pairDepth`, `allLiveClosure`) would. Both are checked here against the slow
// definitions on every terminal state of schemas with property-name literals, enums, bounded and
// patterned strings, numbers and formats.
import Testing
@testable import AlignGrammar

@Suite("Transition briefs and the slicer's literal shortcut")
struct SoleSummaryTests {
    static let schemas = [
        #"{"type":"object","properties":{"GenericTypesVisitor":{"type":"string"},"mth":{"enum":["a\"b","AB",null]}},"required":["mth"]}"#,
        #"{"type":"string","maxLength":5}"#,
        #"{"type":"string","pattern":"^[a-c]+x$"}"#,
        #"{"type":"array","items":{"type":"number","minimum":-3}}"#,
        #"{"type":"string","format":"date-time"}"#,
        #"{"enum":["é","\\","\"q\"","tab\t"]}"#,
    ]

    /// The brief of global state `s` from its transition row, by definition.
    static func expectedBrief(_ g: FlatGrammar, _ s: Int) -> UInt64 {
        let live = (0..<256).filter { g.trans[s * 256 + $0] != 0 }
        if live.isEmpty { return LexAutomaton.soleNone }
        if live.count > 1 { return LexAutomaton.soleSeveral }
        let t = g.trans[s * 256 + live[0]]
        return LexAutomaton.soleFlag | (g.accepting[Int(t)] ? LexAutomaton.soleAccepts : 0)
            | UInt64(live[0]) << 32 | UInt64(UInt32(bitPattern: t))
    }

    @Test("each terminal state's brief matches its transition row", arguments: 0..<schemas.count)
    func briefs(_ i: Int) throws {
        let g = try JSONSchemaGrammar.compiled(Self.schemas[i]).flat
        #expect(g.sole.count == g.terminalStateCount)
        var sole = 0
        for s in 1..<g.terminalStateCount {
            #expect(g.sole[s] == Self.expectedBrief(g, s), "state \(s)")
            if g.sole[s] & LexAutomaton.soleFlag != 0 { sole += 1 }
        }
        #expect(sole > 0, "every schema here has a literal piece")
    }

    @Test("soleBody agrees with pairDepth and allLiveClosure wherever it answers", arguments: 0..<schemas.count)
    func shortcut(_ i: Int) throws {
        let g = try JSONSchemaGrammar.compiled(Self.schemas[i]).flat
        var lex = LexAutomaton(g)
        var answered = 0
        for s in 1..<Int32(g.terminalStateCount) {
            guard let dead = lex.soleBody(s) else { continue }
            answered += 1
            if dead {
                #expect(lex.pairDepth(s, cap: 12) == 0, "state \(s): every character should kill it")
            } else {
                #expect(lex.pairDepth(s, cap: 12) == nil && !lex.allLiveClosure(s), "state \(s) should be mixed")
            }
        }
        #expect(answered > 0)
    }
}
