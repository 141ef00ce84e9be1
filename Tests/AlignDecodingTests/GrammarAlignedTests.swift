// ASAp (Park et al., "Grammar-Aligned Decoding", arXiv 2405.21047) on toy settings with known answers:
// the EFG update by hand on a three-level trie and through the sampler, convergence to the exact
// grammar-conditioned distribution (KL against an enumeration, beating plain masked sampling), seeded
// reproducibility, the model-call cache, the trie cap and the dead-end error.
import AlignGrammar
import Foundation
import Testing
@testable import AlignDecoding

@Suite("Grammar-aligned sampling (ASAp)")
struct GrammarAlignedTests {
    @Test("the EFG update by hand: a dead end after one sample, a partial EOS after two")
    func handUpdate() throws {
        var trie = ExpectedFutureTrie()
        // Root: a (id 1) 0.5, b (2) 0.3, EOS (0) 0.2 — the rest of the mass is masked.
        let root = try trie.add(tokens: [1, 2, 0], probabilities: [0.5, 0.3, 0.2], ends: [false, false, true])
        #expect(trie.nodes[root].value == 1.0)
        // Sample 1: a → c (3); the prefix "ac" allows nothing: a dead end.
        let n1 = try trie.add(tokens: [3, 4], probabilities: [0.6, 0.4], ends: [false, false], parent: (root, 0))
        let n2 = try trie.add(tokens: [], probabilities: [], ends: [], parent: (n1, 0))
        trie.update(path: [(root, 0), (n1, 0), (n2, -1)])
        // θ̃(ac) = 0, θ̃(a) = 0.6·0 + 0.4·1 = 0.4, θ̃(ε) = 0.5·0.4 + 0.3·1 + 0.2·1 = 0.7.
        #expect(abs(trie.estimate([1, 3]) - 0) < 1e-15)
        #expect(abs(trie.estimate([1]) - 0.4) < 1e-15)
        #expect(abs(trie.estimate([]) - 0.7) < 1e-15)
        // Sample 2: a → d (4) → EOS; "ad" allows EOS 0.5 and e (5) 0.25 (unexplored, so θ̃ = 1).
        let n3 = try trie.add(tokens: [0, 5], probabilities: [0.5, 0.25], ends: [true, false], parent: (n1, 1))
        trie.update(path: [(root, 0), (n1, 1), (n3, 0)])
        // θ̃(ad) = 0.5 + 0.25 = 0.75, θ̃(a) = 0.4·0.75 = 0.3, θ̃(ε) = 0.5·0.3 + 0.3 + 0.2 = 0.65.
        #expect(abs(trie.estimate([1, 4]) - 0.75) < 1e-15)
        #expect(abs(trie.estimate([1]) - 0.3) < 1e-15)
        #expect(abs(trie.estimate([]) - 0.65) < 1e-15)
        #expect(trie.estimate([1, 4, 5]) == 1)  // allowed, never reached
        #expect(trie.estimate([1, 4, 6]) == 0)  // masked
        #expect(trie.estimate([2]) == 1)
        #expect(trie.node(for: [1, 4]) == n3)
    }

    @Test("the sampler's estimates after each sample match the hand values of the explored paths", arguments: [UInt64(0), 3, 11])
    func samplerUpdate(seed: UInt64) throws {
        // Regex "ab": paths [a, b, EOS] and [ab, EOS]. P(a) 0.5, P(ab) 0.1, P(b | a) 0.05, P(EOS | …) 0.4.
        // Explored {ab}: θ̃ = 0.5 + 0.1·0.4 = 0.54; {a b}: 0.5·0.05·0.4 + 0.1 = 0.11; both: 0.05 = P(grammar).
        var sampler = try GrammarAlignedSampler(source: GrammarAlignedToy.model(), grammar: GrammarAlignedToy.grammar("ab"),
                                                vocabulary: GrammarAlignedToy.vocabulary(), configuration: .init(seed: seed))
        var explored = Set<[Int32]>()
        for _ in 0 ..< 6 {
            let s = try sampler.sample()
            #expect(s.endToken == 0 && GrammarAlignedToy.text(s.tokens) == "ab")
            explored.insert(s.tokens)
            let expected = explored.count == 2 ? 0.05 : (explored.contains([4]) ? 0.54 : 0.11)
            #expect(abs(sampler.trie.estimate([]) - expected) < 1e-12)
            let thetaA = explored.contains([1, 2]) ? 0.02 : 1.0, thetaAB = explored.contains([4]) ? 0.4 : 1.0
            let next = try #require(sampler.nextTokenDistribution(after: []))
            #expect(abs((next[1] ?? -1) - 0.5 * thetaA / expected) < 1e-12)
            #expect(abs((next[4] ?? -1) - 0.1 * thetaAB / expected) < 1e-12)
            #expect(abs(s.logProbability - (s.tokens == [4] ? log(0.1 * 0.4) : log(0.5 * 0.05 * 0.4))) < 1e-12)
        }
        #expect(explored.count == 2)  // both paths seen, so the last checks used the exact 0.05
    }

    @Test("ASAp's samples are closer in KL to the exact grammar-conditioned distribution than masked sampling's")
    func convergence() throws {
        let g = try GrammarAlignedToy.grammar(), v = try GrammarAlignedToy.vocabulary()
        let (exact, mass) = GrammarAlignedToy.exact()
        // By hand: ab .05 + ac .01 + bb .008 + bc .044 + abc .0075 + acc .0015 + bbc .0012 + bcc .0066 = .1288.
        #expect(exact.count == 8 && abs(mass - 0.1288) < 1e-12)
        #expect(abs((exact["ac"] ?? 0) - 0.01 / 0.1288) < 1e-12)
        let maskedLimit = GrammarAlignedToy.maskedExact()
        let biasKL = GrammarAlignedToy.kl(exact, maskedLimit)  // masked sampling's bias, also 0.2041 in Python
        #expect(abs(biasKL - 0.20407) < 1e-4)
        var sampler = try GrammarAlignedSampler(source: GrammarAlignedToy.model(), grammar: g, vocabulary: v,
                                                configuration: .init(seed: 1))
        let n = 3000
        var asap: [String] = [], masked: [String] = []
        for k in 0 ..< n {
            let s = try sampler.sample()
            asap.append(GrammarAlignedToy.text(s.tokens))
            masked.append(GrammarAlignedToy.text(GrammarAlignedToy.maskedSample(g, v, rng: PhiloxRandom(seed: 1, stream: UInt64(k)))))
        }
        #expect(asap.allSatisfy { GrammarAlignedToy.language.contains($0) })
        #expect(masked.allSatisfy { GrammarAlignedToy.language.contains($0) })
        let klASAp = GrammarAlignedToy.kl(exact, GrammarAlignedToy.empirical(asap))
        let klMasked = GrammarAlignedToy.kl(exact, GrammarAlignedToy.empirical(masked))
        print("ASAp toy (n = \(n)): KL(exact‖ASAp) = \(klASAp), KL(exact‖masked) = \(klMasked), root θ̃ = \(sampler.trie.estimate([]))")
        // Masked sampling's own limit is KL 0.204 (above); sampling noise at n = 3000 over 8 strings is
        // about 7/(2n) ≈ 0.001, and the independent masked sampler matches its exact distribution that closely.
        #expect(GrammarAlignedToy.kl(maskedLimit, GrammarAlignedToy.empirical(masked)) < 0.005)
        #expect(klMasked > 0.15)
        #expect(klASAp < 0.015)
        #expect(klASAp * 10 < klMasked)
        // θ̃(ε) over-approximates P(grammar) and, with the small language explored, equals it.
        #expect(sampler.trie.estimate([]) >= mass - 1e-12)
        #expect(sampler.trie.estimate([]) - mass < 1e-9)
    }

    @Test("same seed, same samples; another seed, other samples; each prefix asks the model once")
    func reproducible() throws {
        func run(_ seed: UInt64) throws -> ([[Int32]], Int, Int) {
            var s = try GrammarAlignedSampler(source: GrammarAlignedToy.model(), grammar: GrammarAlignedToy.grammar(),
                                              vocabulary: GrammarAlignedToy.vocabulary(), configuration: .init(seed: seed))
            let out = try (0 ..< 40).map { _ in try s.sample().tokens }
            return (out, s.source.calls, s.trie.nodes.count)
        }
        let (a, callsA, nodesA) = try run(7)
        let (b, _, _) = try run(7)
        let (c, _, _) = try run(8)
        #expect(a == b)
        #expect(a != c)
        #expect(callsA == nodesA)
    }

    @Test("a full trie and an unsatisfiable length are typed errors")
    func errors() throws {
        var small = try GrammarAlignedSampler(
            source: GrammarAlignedToy.model(), grammar: GrammarAlignedToy.grammar(), vocabulary: GrammarAlignedToy.vocabulary(),
            configuration: .init(limits: .init(maxNodes: 3)))
        #expect(throws: AlignDecodingError.grammarAlignedTrieFull(what: "nodes", limit: 3)) {
            for _ in 0 ..< 50 { _ = try small.sample() }
        }
        // "abc" needs two tokens at least ([ab][c]); with one, every path dead-ends and θ̃(ε) drops to 0.
        var short = try GrammarAlignedSampler(
            source: GrammarAlignedToy.model(), grammar: GrammarAlignedToy.grammar("abc"), vocabulary: GrammarAlignedToy.vocabulary(),
            configuration: .init(maxTokens: 1))
        #expect(throws: AlignDecodingError.noGrammaticalSequence(maxTokens: 1, attempts: 1_000)) { _ = try short.sample() }
        #expect(short.trie.estimate([]) == 0)
        var trie = ExpectedFutureTrie()
        #expect(throws: AlignDecodingError.self) { _ = try trie.add(tokens: [1, 2], probabilities: [0.5], ends: [false, false]) }
        let wrongSize = TableSource(vocabularySize: 7, rows: [:], fallback: [0: 1])
        #expect(throws: AlignDecodingError.self) {
            _ = try GrammarAlignedSampler(source: wrongSize, grammar: GrammarAlignedToy.grammar(), vocabulary: GrammarAlignedToy.vocabulary())
        }
    }
}
