// DFA construction, minimization and the process-wide memo (DFAMemo): hand-counted minimal state
// counts (dead state included), languages of products checked on strings, and memo hits that return
// the automaton the construction builds.
import Testing
@testable import AlignGrammar

@Suite("DFA operations")
struct DFAOpsTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
    func byte(_ c: Character) -> ByteRegex { .bytes(ByteSet(bytes: [c.asciiValue ?? 0])) }

    @Test("Moore minimization reaches the hand-counted minimal automata")
    func minimal() throws {
        // ab|cb: dead, start, {after a, after c} merged, final.
        let d = try DFA(.alt([.literal("ab"), .literal("cb")]), maxStates: 1_001)
        #expect(d.numStates == 4)
        #expect(d.matches(bytes("ab")) && d.matches(bytes("cb")) && !d.matches(bytes("bb")))
        // (a|b)*: dead plus one accepting start state.
        let star = try DFA(.star(.alt([byte("a"), byte("b")])), maxStates: 1_002)
        #expect(star.numStates == 2)
        // a{0,5}: dead plus a chain of six accepting states (0…5 a's read).
        let chain = try DFA(.repeat(byte("a"), min: 0, max: 5), maxStates: 1_003)
        #expect(chain.numStates == 7)
        #expect(chain.matches(bytes("aaaaa")) && !chain.matches(bytes("aaaaaa")))
        // (aa)*|(aaa)*: lengths divisible by 2 or 3, minimal DFA counts mod 6: dead + 6 states.
        let mod = try DFA(.alt([.star(.literal("aa")), .star(.literal("aaa"))]), maxStates: 1_004)
        #expect(mod.numStates == 7)
        for n in 0..<13 { #expect(mod.matches(Array(repeating: 0x61, count: n)) == (n % 2 == 0 || n % 3 == 0), "\(n)") }
    }

    @Test("products: intersection, difference and union languages")
    func products() throws {
        let digits = try DFA(.repeat(.bytes(ByteSet(0x30...0x39)), min: 1, max: nil))
        let even = try DFA(.seq([.star(.bytes(ByteSet(0x30...0x39))), .bytes(ByteSet(bytes: Array("02468".utf8)))]))
        let both = try digits.intersect(even)
        #expect(both.matches(bytes("12")) && !both.matches(bytes("13")) && !both.matches(bytes("")))
        let odd = try digits.subtract(even)
        #expect(odd.matches(bytes("13")) && !odd.matches(bytes("12")))
        let any = try odd.union(both)
        for s in ["0", "7", "10", "99"] { #expect(any.matches(bytes(s)) == digits.matches(bytes(s)), "\(s)") }
        // Digit strings ending in an odd digit: dead, "ends odd" (accepting), and the start state, which
        // Moore merges with "ends even" (same successors, both rejecting): 3 states.
        #expect(odd.numStates == 3)
    }

    @Test("the memo returns the automaton the construction builds, and keeps only small automata")
    func memo() throws {
        let r = ByteRegex.seq([.literal("memo-test-"), .repeat(byte("x"), min: 2, max: 7)])
        let a = try DFA(r, maxStates: 777)
        let b = try DFA(r, maxStates: 777)   // a hit in the shared memo (other suites may run meanwhile)
        #expect(a == b && a.matches(bytes("memo-test-xxx")) && !a.matches(bytes("memo-test-x")))
        // A separate memo with a tiny budget still answers exactly (it empties itself when full).
        let small = DFAMemo(stateBudget: 10, maxEntryStates: 8)
        var builds = 0
        for _ in 0..<3 {
            let d = try small.value(.regex(r, maxStates: 777)) { builds += 1; return try DFA(r, maxStates: 777) }
            #expect(d == a)
        }
        // Dead + start + 10 literal bytes + 1…7 x's = 19 states: above maxEntryStates (8), never stored.
        #expect(a.numStates == 19)
        #expect(builds == 3 && small.count == 0)
        let tiny = try DFA(.literal("q"), maxStates: 778)
        for _ in 0..<3 { _ = small.value(.regex(.literal("q"), maxStates: 778)) { builds += 1; return tiny } }
        #expect(builds == 4 && small.count == 1)
    }
}
