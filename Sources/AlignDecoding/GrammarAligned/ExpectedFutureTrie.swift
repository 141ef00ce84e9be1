// ExpectedFutureTrie: the trie of sampled prefixes behind ASAp ("adaptive sampling with approximate
// expected futures", Park, Wang, Berg-Kirkpatrick, Polikarpova, D'Antoni, "Grammar-Aligned Decoding",
// NeurIPS 2024, arXiv 2405.21047, the ASAp algorithm). Each node is a prefix w₁…wᵢ the sampler has
// reached; it caches the model's probabilities P(t | w₁…wᵢ) of the tokens t the grammar allows there
// (masked tokens are not stored: their expected future grammaticality, EFG, is 0) and, per allowed
// token, the current estimate θ̃(w₁…wᵢ t) of the EFG of the extended prefix:
//   • an unexplored allowed token starts at θ̃ = 1 — the paper's sound over-approximation (a
//     grammatical prefix may still complete with probability up to 1);
//   • an end-of-sequence token allowed here ends a grammatical string: θ̃ = 1 exactly, for good;
//   • an explored token's θ̃ is its child node's value, recomputed bottom-up after every sample as
//       θ̃(w₁…wᵢ) = Σ_t P(t | w₁…wᵢ) · θ̃(w₁…wᵢ t)          (the paper's ASAp update)
//     — equivalently 1 minus the probability mass now known to lead to dead ends.
// The sampler (GrammarAlignedSampler.swift) draws t ∝ P(t | prefix) · θ̃(prefix t). Because θ̃ only
// ever decreases toward the true EFG as prefixes are explored, repeated sampling converges to the
// model's distribution conditioned on the grammar (the paper's convergence result).
//
// Size: the trie grows by one node per new prefix and never forgets one. `Limits` caps the nodes and
// the stored probabilities; reaching a cap throws `grammarAlignedTrieFull` rather than evicting —
// evicting a node would reset its θ̃ to the optimistic 1 and undo what was learned, so the caller
// decides (raise the cap, or start a fresh sampler).

/// The prefix trie of ASAp with its expected-future-grammaticality estimates.
public struct ExpectedFutureTrie {
    /// Caps on the trie's size.
    public struct Limits: Equatable, Sendable {
        /// Most nodes (prefixes) kept.
        public var maxNodes: Int
        /// Most (token, probability, estimate) entries kept over all nodes.
        public var maxEntries: Int
        /// - Parameters: defaults 100,000 nodes and 8,000,000 entries (about 200 MB).
        public init(maxNodes: Int = 100_000, maxEntries: Int = 8_000_000) {
            (self.maxNodes, self.maxEntries) = (maxNodes, maxEntries)
        }
    }

    /// One explored prefix.
    public struct Node: Equatable, Sendable {
        /// Token ids the grammar allows after this prefix with positive model probability.
        public let tokens: [Int32]
        /// P(token | prefix) for each of `tokens` (they sum to at most 1: masked mass is left out).
        public let probabilities: [Double]
        /// Whether each token ends the sequence (EOS): its estimate stays 1 and it has no child.
        public let ends: [Bool]
        /// θ̃(prefix + token) for each of `tokens`.
        public internal(set) var estimates: [Double]
        /// Child node index per token, −1 while unexplored (always −1 for EOS).
        public internal(set) var children: [Int]

        /// θ̃(prefix) = Σ P(t | prefix) · θ̃(prefix t).
        public var value: Double {
            var total = 0.0
            for i in tokens.indices { total += probabilities[i] * estimates[i] }
            return total
        }
    }

    /// The nodes; index 0 is the root (the empty prefix) once it has been added.
    public private(set) var nodes: [Node] = []
    /// The size caps.
    public let limits: Limits
    private var entries = 0

    /// An empty trie with the given caps.
    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Adds a node for a newly reached prefix and returns its index; with `parent` it is linked as the
    /// child of `parent`'s slot `slot` (the token that extends the parent's prefix).
    ///
    /// - Throws: `grammarAlignedTrieFull` when a cap would be exceeded, `invalidParameter` for ragged arrays.
    public mutating func add(tokens: [Int32], probabilities: [Double], ends: [Bool],
                             parent: (node: Int, slot: Int)? = nil) throws -> Int {
        guard nodes.count < limits.maxNodes else {
            throw AlignDecodingError.grammarAlignedTrieFull(what: "nodes", limit: limits.maxNodes)
        }
        guard entries + tokens.count <= limits.maxEntries else {
            throw AlignDecodingError.grammarAlignedTrieFull(what: "stored probabilities", limit: limits.maxEntries)
        }
        guard tokens.count == probabilities.count, tokens.count == ends.count else {
            throw AlignDecodingError.invalidParameter(
                parameter: "trie node", value: "\(tokens.count) tokens, \(probabilities.count) probabilities, \(ends.count) ends",
                expected: "one probability and one end flag per token")
        }
        entries += tokens.count
        nodes.append(Node(tokens: tokens, probabilities: probabilities, ends: ends,
                          estimates: [Double](repeating: 1, count: tokens.count),  // optimistic start (the paper's initial θ̃)
                          children: [Int](repeating: -1, count: tokens.count)))
        let index = nodes.count - 1
        if let parent { nodes[parent.node].children[parent.slot] = index }
        return index
    }

    /// The ASAp update after a sample (Park et al. 2024, arXiv 2405.21047): walking the sampled path from
    /// its deepest node back to the root, each node's value Σ P·θ̃ becomes its parent's estimate for the
    /// token that led to it.
    ///
    /// - Parameter path: `(node, slot)` pairs from the root down; `slot` is the token taken at `node`
    ///   (the last pair's slot may be an EOS token or −1 when the sample stopped at a dead end).
    public mutating func update(path: [(node: Int, slot: Int)]) {
        for k in stride(from: path.count - 1, to: 0, by: -1) {
            let child = path[k].node
            let (parent, slot) = path[k - 1]
            nodes[parent].estimates[slot] = nodes[child].value
        }
    }

    /// The node reached from the root by `prefix`, nil if that prefix has not been explored.
    public func node(for prefix: [Int32]) -> Int? {
        guard !nodes.isEmpty else { return nil }
        var n = 0
        for token in prefix {
            guard let slot = nodes[n].tokens.firstIndex(of: token), nodes[n].children[slot] >= 0 else { return nil }
            n = nodes[n].children[slot]
        }
        return n
    }

    /// The current estimate θ̃(prefix): the stored value along explored nodes, 0 past a token the grammar
    /// (or the model) rules out, and the optimistic 1 for a prefix nobody has reached. The root's value is
    /// the estimated probability that an unconstrained sample would be grammatical.
    public func estimate(_ prefix: [Int32]) -> Double {
        guard !nodes.isEmpty else { return 1 }
        var n = 0
        for (i, token) in prefix.enumerated() {
            guard let slot = nodes[n].tokens.firstIndex(of: token) else { return 0 }
            guard nodes[n].children[slot] >= 0 else { return i == prefix.count - 1 ? nodes[n].estimates[slot] : 1 }
            n = nodes[n].children[slot]
        }
        return nodes[n].value
    }
}
