// GrammarAlignedSampler: ASAp, grammar-aligned sampling (Park et al., "Grammar-Aligned Decoding",
// NeurIPS 2024, arXiv 2405.21047, the ASAp algorithm). Plain constrained decoding samples each token from the
// model's distribution renormalised over the grammar's mask, which is not P(sequence | sequence ∈ grammar):
// a prefix whose likely continuations are masked keeps all of its mass. ASAp draws each token with
// probability ∝ P(t | prefix) · θ̃(prefix t), where θ̃ is the expected-future-grammaticality estimate kept
// in `ExpectedFutureTrie`, and after each sample updates θ̃ along the sampled path. The first sample is
// exactly masked sampling (every allowed θ̃ starts at 1); as the trie fills in, the sampling distribution
// converges to the grammar-conditioned one.
//
// Length: sequences have at most `maxTokens` tokens before EOS; at that depth only EOS is allowed, so
// the target is the model conditioned on "grammatical and at most maxTokens tokens". A sample that
// reaches a dead end (no allowed token with positive probability) is abandoned, the dead end is
// recorded in the trie (θ̃ = 0 propagates up) and sampling restarts from the root with the same stream.
// Randomness: sample k uses PhiloxRandom(seed, stream: k), one draw position per token choice.
import AlignGrammar
import Foundation

/// One grammar-aligned sample.
public struct GrammarAlignedSample: Equatable, Sendable {
    /// The generated tokens, without the final EOS.
    public let tokens: [Int32]
    /// The EOS token that ended the sequence.
    public let endToken: Int32
    /// log P(tokens, EOS) under the source model (unconstrained).
    public let logProbability: Double
    /// Root-to-EOS tries this sample needed (1 unless dead ends were met and recorded).
    public let attempts: Int
}

/// Repeated grammar-aligned sampling from one prompt (the source) and one grammar.
///
/// A copy shares the grammar matcher (a class, reset at the start of every walk) with the original:
/// copies may be used one after another, not concurrently.
///
/// ```swift
/// var sampler = try GrammarAlignedSampler(source: CausalLMNextTokenSource(model: model, prompt: ids),
///                                         grammar: compiled, vocabulary: vocabulary)
/// for _ in 0..<16 { print(try sampler.sample().tokens) }
/// ```
public struct GrammarAlignedSampler<Source: NextTokenSource> {
    /// Sampling settings.
    public struct Configuration: Equatable, Sendable {
        /// Most tokens before EOS (≥ 1).
        public var maxTokens: Int
        /// Philox seed.
        public var seed: UInt64
        /// Trie size caps.
        public var limits: ExpectedFutureTrie.Limits
        /// Most root-to-leaf tries per sample before giving up.
        public var maxAttempts: Int
        /// - Parameters: defaults 256 tokens, seed 0, default limits, 1,000 attempts.
        public init(maxTokens: Int = 256, seed: UInt64 = 0, limits: ExpectedFutureTrie.Limits = .init(),
                    maxAttempts: Int = 1_000) {
            (self.maxTokens, self.seed, self.limits, self.maxAttempts) = (maxTokens, seed, limits, maxAttempts)
        }
    }

    /// The model's next-token distributions.
    public private(set) var source: Source
    /// The grammar's vocabulary (token bytes, EOS ids, logit dimension = the source's V).
    public let vocabulary: TokenVocabulary
    /// Settings.
    public let configuration: Configuration
    /// The sampled prefixes and their estimates (grows with every sample).
    public private(set) var trie: ExpectedFutureTrie
    /// Samples drawn so far (the next sample's Philox stream).
    public private(set) var samplesDrawn = 0
    let matcher: GrammarMatcher
    let eos: Set<Int32>

    /// - Throws: `invalidParameter` when the source's V differs from the vocabulary's logit dimension,
    ///   the vocabulary has no EOS id, or `maxTokens`/`maxAttempts` is not positive.
    public init(source: Source, grammar: CompiledGrammar, vocabulary: TokenVocabulary,
                configuration: Configuration = Configuration()) throws {
        guard source.vocabularySize == vocabulary.logitDimension else {
            throw AlignDecodingError.invalidParameter(parameter: "vocabulary", value: "logit dimension \(vocabulary.logitDimension)",
                                                      expected: "the model's vocabulary size \(source.vocabularySize)")
        }
        guard !vocabulary.eosTokenIds.isEmpty else {
            throw AlignDecodingError.invalidParameter(parameter: "eos_token_id", value: "none",
                                                      expected: "at least one EOS id (grammar-aligned samples must end)")
        }
        guard configuration.maxTokens > 0, configuration.maxAttempts > 0 else {
            throw AlignDecodingError.invalidParameter(
                parameter: "max_new_tokens / maxAttempts", value: "\(configuration.maxTokens) / \(configuration.maxAttempts)",
                expected: "positive values")
        }
        (self.source, self.vocabulary, self.configuration) = (source, vocabulary, configuration)
        trie = ExpectedFutureTrie(limits: configuration.limits)
        matcher = GrammarMatcher(grammar: grammar, vocabulary: vocabulary)
        eos = Set(vocabulary.eosTokenIds.map { Int32($0) })
    }

    /// Draws one grammatical sequence and updates the trie's estimates with it.
    ///
    /// - Throws: `noGrammaticalSequence` when every path is a dead end (or `maxAttempts` is spent),
    ///   `grammarAlignedTrieFull`, and the source's errors.
    public mutating func sample() throws -> GrammarAlignedSample {
        let rng = PhiloxRandom(seed: configuration.seed, stream: UInt64(samplesDrawn))
        samplesDrawn += 1
        var draw: UInt64 = 0
        for attempt in 1 ... configuration.maxAttempts {
            if let (tokens, end, logP) = try walk(rng, &draw) {
                return GrammarAlignedSample(tokens: tokens, endToken: end, logProbability: logP, attempts: attempt)
            }
            if trie.nodes[0].value <= 0 { break }  // every continuation is now known to be a dead end
        }
        throw AlignDecodingError.noGrammaticalSequence(maxTokens: configuration.maxTokens, attempts: configuration.maxAttempts)
    }

    /// One root-to-leaf walk; nil when it met a dead end (recorded in the trie).
    private mutating func walk(_ rng: PhiloxRandom, _ draw: inout UInt64) throws -> ([Int32], Int32, Double)? {
        matcher.reset()
        var prefix: [Int32] = []
        var path: [(node: Int, slot: Int)] = []
        var node = trie.nodes.isEmpty ? try expand(prefix, parent: nil) : 0
        var logP = 0.0
        while true {
            guard let slot = GrammarAlignedSampler.pick(trie.nodes[node], u: rng.uniform(position: draw)) else {
                path.append((node, -1))
                trie.update(path: path)
                return nil
            }
            draw += 1
            path.append((node, slot))
            let n = trie.nodes[node]
            let token = n.tokens[slot]
            logP += log(n.probabilities[slot])
            if n.ends[slot] {
                trie.update(path: path)
                return (prefix, token, logP)
            }
            guard matcher.acceptToken(Int(token)) else {
                throw AlignDecodingError.invalidParameter(parameter: "grammar", value: "token \(token) after \(prefix)",
                                                          expected: "a token the grammar's mask allowed")
            }
            prefix.append(token)
            node = n.children[slot] >= 0 ? n.children[slot] : try expand(prefix, parent: (node, slot))
        }
    }

    /// Adds the node of `prefix` (the matcher stands at its end): the model's probabilities of the
    /// tokens the grammar allows there — only EOS once `maxTokens` tokens are out.
    private mutating func expand(_ prefix: [Int32], parent: (node: Int, slot: Int)?) throws -> Int {
        let logP = try source.logProbabilities(after: prefix)  // [V]
        guard logP.count == vocabulary.logitDimension else {
            throw AlignDecodingError.logitsShapeMismatch(expected: [vocabulary.logitDimension], actual: [logP.count])
        }
        let allowed: [Int]
        if prefix.count >= configuration.maxTokens {
            allowed = matcher.isAccepting ? vocabulary.eosTokenIds.sorted() : []
        } else {
            allowed = GrammarMatcher.allowedIds(matcher.computeMask())
        }
        var tokens: [Int32] = [], probabilities: [Double] = [], ends: [Bool] = []
        for id in allowed where id < logP.count && logP[id] > -.infinity {
            tokens.append(Int32(id))
            probabilities.append(exp(logP[id]))
            ends.append(eos.contains(Int32(id)))
        }
        return try trie.add(tokens: tokens, probabilities: probabilities, ends: ends, parent: parent)
    }

    /// Inverse-CDF draw with weights P(t) · θ̃(t) and uniform `u`; nil when every weight is 0.
    static func pick(_ node: ExpectedFutureTrie.Node, u: Double) -> Int? {
        let total = node.value
        guard total > 0 else { return nil }
        let target = u * total
        var cumulative = 0.0
        var last: Int?
        for i in node.tokens.indices {
            let w = node.probabilities[i] * node.estimates[i]
            guard w > 0 else { continue }
            cumulative += w
            last = i
            if cumulative > target { return i }
        }
        return last  // rounding left the running sum a hair below u·total
    }

    /// The distribution the next sample would draw from after `prefix`, token → probability; nil for a
    /// prefix the trie has not explored.
    public func nextTokenDistribution(after prefix: [Int32]) -> [Int32: Double]? {
        guard let n = trie.node(for: prefix) else { return nil }
        let node = trie.nodes[n]
        let total = node.value
        guard total > 0 else { return [:] }
        var out: [Int32: Double] = [:]
        for i in node.tokens.indices { out[node.tokens[i]] = node.probabilities[i] * node.estimates[i] / total }
        return out
    }
}
