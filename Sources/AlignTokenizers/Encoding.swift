// Encoding: the result of encoding one text — ids, token strings and offsets — as tokenizers' `Encoding`
// (Python: `enc.ids`, `enc.tokens`, `enc.offsets`). Offsets are character (Unicode scalar) offsets into the
// input, as Python's tokenizers reports them; special tokens added by the post-processor get (0, 0).

/// Token ids, token strings and character offsets of an encoded text.
public struct Encoding: Sendable, Equatable {
    /// Token ids.
    public var ids: [Int] = []
    /// Token strings (vocabulary entries; for added tokens, the matched text).
    public var tokens: [String] = []
    /// `(start, end)` character offsets of each token into the input text.
    public var offsets: [(Int, Int)] = []
    /// Whether each token is a special token added by the post-processor or matched from added tokens.
    public var specialTokensMask: [Bool] = []

    public init() {}

    mutating func reserve(_ n: Int) {
        guard ids.capacity < n else { return }
        let m = max(n, 2 * ids.capacity)  // keep geometric growth across calls
        ids.reserveCapacity(m); tokens.reserveCapacity(m); offsets.reserveCapacity(m); specialTokensMask.reserveCapacity(m)
    }

    mutating func append(id: Int, token: String, offset: (Int, Int), special: Bool) {
        ids.append(id); tokens.append(token); offsets.append(offset); specialTokensMask.append(special)
    }

    mutating func append(contentsOf e: Encoding) {
        ids += e.ids; tokens += e.tokens; offsets += e.offsets; specialTokensMask += e.specialTokensMask
    }

    public static func == (a: Encoding, b: Encoding) -> Bool {
        a.ids == b.ids && a.tokens == b.tokens && a.specialTokensMask == b.specialTokensMask
            && a.offsets.elementsEqual(b.offsets, by: { $0 == $1 })
    }
}
