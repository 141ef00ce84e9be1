// AddedVocabulary: the `added_tokens` of tokenizer.json and how they are cut out of the text before the
// pipeline runs (tokenizers/src/tokenizer/added_vocabulary.rs, v0.23.3). Tokens with `normalized: false` are
// matched on the original text, the others on the normalized text (their content normalized too); matching
// is leftmost-longest; `single_word` requires word boundaries around the match; `lstrip`/`rstrip` extend the
// match over adjacent whitespace.

/// One entry of `added_tokens`.
public struct AddedToken: Sendable, Equatable {
    public let id: Int
    public let content: String
    public let singleWord: Bool
    public let lstrip: Bool
    public let rstrip: Bool
    public let normalized: Bool
    public let special: Bool
}

/// A trie of added-token contents for leftmost-longest matching.
struct AddedTokenTrie: Sendable {
    private var children: [[Unicode.Scalar: Int32]] = [[:]]
    private var terminal: [Int32] = [-1]  // index into tokens, or -1
    let tokens: [AddedToken]
    let patterns: [[Unicode.Scalar]]
    /// Scalars some pattern starts with (a quick reject before the trie walk): a bitmap below U+10000.
    let firstBits: [UInt64]
    let firstOther: Set<Unicode.Scalar>

    init(tokens: [AddedToken], patterns: [[Unicode.Scalar]]) {
        self.tokens = tokens
        self.patterns = patterns
        var bits = [UInt64](repeating: 0, count: 1024)
        var other = Set<Unicode.Scalar>()
        for f in patterns.compactMap(\.first) {
            if f.value < 0x10000 { bits[Int(f.value >> 6)] |= 1 << UInt64(f.value & 63) } else { other.insert(f) }
        }
        firstBits = bits
        firstOther = other
        for (k, p) in patterns.enumerated() where !p.isEmpty {
            var node = 0
            for s in p {
                if let c = children[node][s] { node = Int(c) } else {
                    children.append([:]); terminal.append(-1)
                    children[node][s] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            if terminal[node] < 0 { terminal[node] = Int32(k) }
        }
    }

    var isEmpty: Bool { children[0].isEmpty }

    @inline(__always) func mayStart(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x10000 { return firstBits[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0 }
        return firstOther.contains(s)
    }

    /// The longest pattern starting at `i`: (token index, end).
    func longest(_ s: ArraySlice<Unicode.Scalar>, at i: Int) -> (Int, Int)? {
        var node = 0, j = i
        var best: (Int, Int)?
        while j < s.endIndex, let c = children[node][s[j]] {
            node = Int(c); j += 1
            if terminal[node] >= 0 { best = (Int(terminal[node]), j) }
        }
        return best
    }

    /// Splits `s` into (range, added token or nil) pieces tiling it; ranges are indices of `s`.
    func split(_ s: ArraySlice<Unicode.Scalar>) -> [(Range<Int>, AddedToken?)] {
        guard !isEmpty else { return [(s.startIndex..<s.endIndex, nil)] }
        var out = [(Range<Int>, AddedToken?)]()
        var startOffset = s.startIndex, i = s.startIndex
        while i < s.endIndex {
            guard mayStart(s[i]), let (k, e) = longest(s, at: i) else { i += 1; continue }
            let tok = tokens[k]
            var start = i, stop = e
            i = e  // the matcher resumes after this match even if it is rejected below
            if tok.singleWord {
                let before = start == s.startIndex || !s[start - 1].isWordChar
                let after = stop == s.endIndex || !s[stop].isWordChar
                if !(before && after) { continue }
            }
            if tok.lstrip {
                var ns = start
                while ns > s.startIndex, s[ns - 1].isSpaceClass { ns -= 1 }
                start = max(ns, startOffset)
            }
            if tok.rstrip {
                while stop < s.endIndex, s[stop].isSpaceClass { stop += 1 }
                i = max(i, stop)
            }
            if start > startOffset { out.append((startOffset..<start, nil)) }
            out.append((start..<stop, tok))
            startOffset = stop
        }
        if startOffset < s.endIndex || out.isEmpty { out.append((startOffset..<s.endIndex, nil)) }
        return out
    }
}

/// The added tokens of a tokenizer, split into the original-text and normalized-text matchers.
struct AddedVocabulary: Sendable {
    let tokens: [AddedToken]
    let byId: [Int: AddedToken]
    let byContent: [String: AddedToken]
    let originalTrie: AddedTokenTrie
    let normalizedTrie: AddedTokenTrie

    init(tokens: [AddedToken], normalizer: (any Normalizer)?) {
        self.tokens = tokens
        var ids = [Int: AddedToken](), contents = [String: AddedToken]()
        for t in tokens { ids[t.id] = t; contents[t.content] = t }
        byId = ids; byContent = contents
        let raw = tokens.filter { !$0.normalized }
        originalTrie = AddedTokenTrie(tokens: raw, patterns: raw.map { Array($0.content.unicodeScalars) })
        let norm = tokens.filter { $0.normalized }
        normalizedTrie = AddedTokenTrie(tokens: norm, patterns: norm.map { t in
            var n = NormalizedText(original: Array(t.content.unicodeScalars)[...])
            normalizer?.normalize(&n)
            return n.scalars
        })
    }

    static func parse(_ node: JSONNode?) throws -> [AddedToken] {
        guard let node else { return [] }
        return try node.asArray().map { t in
            AddedToken(id: try t.required("id").asInt(), content: try t.string("content"),
                       singleWord: try t.bool("single_word", default: false), lstrip: try t.bool("lstrip", default: false),
                       rstrip: try t.bool("rstrip", default: false), normalized: try t.bool("normalized", default: true),
                       special: try t.bool("special", default: false))
        }
    }
}
