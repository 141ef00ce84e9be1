// TokenSlices: the vocabulary split llguidance's slicer uses (llguidance parser/src/earley/slicer.rs,
// docs/optimizations.md "slicer"): the tokens whose bytes are nothing but "plain" JSON-string
// characters — printable ASCII other than `"` and `\`, and complete multi-byte UTF-8 scalars — form the
// body slice, and every other token goes into a second, much smaller trie ("the rest"). Inside a
// string body the grammar allows each body token of up to n characters without consulting the
// parser, so a mask there is a copy of a precomputed bitset plus a walk of the rest trie
// (`LexAutomaton+Slicer`). Computed once per vocabulary; grammar-independent.

/// Body-slice bitsets and the trie of the remaining tokens.
public struct TokenSlices: Sendable {
    /// The longest body token, in characters (0 when there is none).
    let maxChars: Int
    /// `upTo[c * words ..< (c + 1) * words]`: the body tokens of at most `c` characters (c ≤ maxChars).
    let upTo: [UInt32]
    /// Mask words per bitset.
    let words: Int
    /// The trie of the tokens outside the body slice.
    let rest: TokenTrie
    /// The most plain characters before the final `\` of a cut token (−1 when there is none).
    let maxCutChars: Int
    /// `cutUpTo[c * words ..< (c + 1) * words]`: the cut tokens — plain characters and then a lone
    /// `\` — with at most c plain characters (`LexAutomaton+CutEscape`).
    let cutUpTo: [UInt32]
    /// `rest` without the cut tokens, walked when a root decides them wholesale.
    let restNoCut: TokenTrie

    init(tokens: [[UInt8]]) {
        let words = (tokens.count + 31) / 32
        var chars = [Int](repeating: -1, count: tokens.count)
        var maxChars = 0
        for (id, t) in tokens.enumerated() where !t.isEmpty {
            if let c = TokenSlices.plainChars(t) { chars[id] = c; maxChars = max(maxChars, c) }
        }
        self.maxChars = maxChars
        upTo = TokenSlices.cumulativeBitsets(chars, upTo: maxChars, words: words)
        self.words = words
        rest = TokenTrie(tokens: tokens.indices.map { chars[$0] >= 0 ? [] : tokens[$0] })
        var cut = [Int](repeating: -1, count: tokens.count)
        for (id, t) in tokens.enumerated() where chars[id] < 0 && t.last == 0x5C {
            if let c = TokenSlices.plainChars(Array(t.dropLast())) { cut[id] = c }
        }
        maxCutChars = cut.max() ?? -1
        cutUpTo = TokenSlices.cumulativeBitsets(cut, upTo: maxCutChars, words: words)
        restNoCut = TokenTrie(tokens: tokens.indices.map { chars[$0] >= 0 || cut[$0] >= 0 ? [] : tokens[$0] })
    }

    /// Bitsets 0 … `maxCount` of `words` words each: bitset k holds every token id whose count is at
    /// most k (counts of −1 are left out).
    static func cumulativeBitsets(_ counts: [Int], upTo maxCount: Int, words: Int) -> [UInt32] {
        var bits = [UInt32](repeating: 0, count: (maxCount + 1) * words)
        for (id, c) in counts.enumerated() where c >= 0 {
            // A token of c characters belongs to every bitset from c up.
            for k in c...maxCount { bits[k * words + id >> 5] |= 1 << UInt32(id & 31) }
        }
        return bits
    }

    /// The number of characters of `t` (token bytes) if it is a sequence of plain characters, else nil.
    public static func plainChars(_ t: [UInt8]) -> Int? {
        var i = 0, n = 0
        while i < t.count {
            guard let len = PlainChar.length(t, at: i) else { return nil }
            i += len; n += 1
        }
        return n
    }
}

/// The characters of the body slice, as byte ranges (RFC 3629 §4 well-formed UTF-8, minus the
/// characters a JSON string must escape: controls, `"`, `\`, and DEL for good measure), plus the
/// two-byte escapes of canonical JSON as characters of their own: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
/// `\t` (RFC 8259 §7 as JSON.stringify writes it). `\/` is left out: the JSON Schema grammar's
/// canonical strings refuse it, and a character that every string DFA kills would keep all of them
/// from being sliced. `\uXXXX` stays in the rest trie.
/// Why the escapes: in JSON-heavy vocabularies most tokens outside the plain slice are escape runs
/// (`\n\n`, `\",`, `foo\"`); 3,477 of the 4,240 rest tokens of MaskBench's 128k tokenizer stop being
/// plain at a `\`. The slicer's checks (`bodyStep`) run on every listed sequence exactly, so a DFA
/// that treats an escape unlike a letter (a pattern, a length bound) is simply not sliced; nothing
/// here assumes JSON semantics.
enum PlainChar {
    /// Per first byte: the ranges the following bytes must lie in (empty = the byte alone).
    static let sequences: [(lead: ClosedRange<UInt8>, tail: [ClosedRange<UInt8>])] = [
        (0x20...0x21, []), (0x23...0x5B, []), (0x5D...0x7E, []),
        (0xC2...0xDF, [0x80...0xBF]),
        (0xE0...0xE0, [0xA0...0xBF, 0x80...0xBF]), (0xE1...0xEC, [0x80...0xBF, 0x80...0xBF]),
        (0xED...0xED, [0x80...0x9F, 0x80...0xBF]), (0xEE...0xEF, [0x80...0xBF, 0x80...0xBF]),
        (0xF0...0xF0, [0x90...0xBF, 0x80...0xBF, 0x80...0xBF]), (0xF1...0xF3, [0x80...0xBF, 0x80...0xBF, 0x80...0xBF]),
        (0xF4...0xF4, [0x80...0x8F, 0x80...0xBF, 0x80...0xBF]),
    ] + [0x22, 0x5C, 0x62, 0x66, 0x6E, 0x72, 0x74].map { (UInt8(0x5C)...UInt8(0x5C), [UInt8($0)...UInt8($0)]) }

    /// The byte length of the plain character starting at `t[i]`, or nil if there is none.
    static func length(_ t: [UInt8], at i: Int) -> Int? {
        // Several sequences share the lead `\` (one per escape), so a mismatch tries the next one.
        candidates: for (lead, tail) in sequences where lead.contains(t[i]) {
            if i + tail.count >= t.count { continue }   // the character runs past the token
            for (k, r) in tail.enumerated() where !r.contains(t[i + 1 + k]) { continue candidates }
            return 1 + tail.count
        }
        return nil
    }
}
