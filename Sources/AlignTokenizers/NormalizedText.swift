// NormalizedText: text as Unicode scalars plus, for every scalar, the range of the ORIGINAL input it came
// from (in scalar indices, which is what Python's `Encoding.offsets` reports: character offsets).
// Mirrors `NormalizedString` of huggingface/tokenizers (tokenizers/src/tokenizer/normalizer.rs, v0.23.3),
// which keeps per-byte alignments; since every transformation maps whole original characters, keeping them
// per scalar and in character units gives the same offsets.

/// A piece of (possibly transformed) text that remembers which original characters each scalar came from.
public struct NormalizedText {
    /// The current scalars.
    public var scalars: [Unicode.Scalar]
    /// `starts[i] ..< ends[i]`: the original character range scalar `i` came from.
    public var starts: [Int32]
    public var ends: [Int32]

    /// Wraps `scalars[range]` of an original input whose first scalar is at `range.lowerBound`.
    public init(original: ArraySlice<Unicode.Scalar>) {
        scalars = Array(original)
        let base = Int32(original.startIndex)
        starts = (0..<Int32(original.count)).map { base + $0 }
        ends = starts.map { $0 + 1 }
    }

    init(scalars: [Unicode.Scalar], starts: [Int32], ends: [Int32]) {
        self.scalars = scalars
        self.starts = starts
        self.ends = ends
    }

    public var count: Int { scalars.count }
    public var isEmpty: Bool { scalars.isEmpty }

    /// The sub-text for `range` of the current scalars.
    func slice(_ range: Range<Int>) -> NormalizedText {
        NormalizedText(scalars: Array(scalars[range]), starts: Array(starts[range]), ends: Array(ends[range]))
    }

    /// The original range covered by current scalars `range` (empty range: a zero-width point).
    func originalRange(_ range: Range<Int>) -> (Int, Int) {
        if range.isEmpty {
            if range.lowerBound < count { return (Int(starts[range.lowerBound]), Int(starts[range.lowerBound])) }
            let e = count > 0 ? Int(ends[count - 1]) : 0
            return (e, e)
        }
        return (Int(starts[range.lowerBound]), Int(ends[range.upperBound - 1]))
    }

    /// The current text as a String.
    public var string: String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }

    /// Rebuilds the text from `pieces`: each output scalar with the index of the current scalar whose
    /// alignment it takes (the way tokenizers' `transform` aligns replaced and inserted characters).
    mutating func rebuild(_ pieces: [(Unicode.Scalar, Int)]) {
        var s = [Unicode.Scalar](), st = [Int32](), en = [Int32]()
        s.reserveCapacity(pieces.count); st.reserveCapacity(pieces.count); en.reserveCapacity(pieces.count)
        for (c, src) in pieces {
            s.append(c); st.append(starts[src]); en.append(ends[src])
        }
        scalars = s; starts = st; ends = en
    }

    /// Maps every scalar to zero or more scalars, each aligned to the scalar it came from.
    mutating func mapScalars(_ f: (Unicode.Scalar) -> [Unicode.Scalar]) {
        var out = [(Unicode.Scalar, Int)]()
        out.reserveCapacity(count)
        for (i, c) in scalars.enumerated() {
            for d in f(c) { out.append((d, i)) }
        }
        rebuild(out)
    }

    /// Inserts `prefix` before the first scalar, aligned to it (tokenizers' `prepend`). No-op on empty text.
    mutating func prepend(_ prefix: [Unicode.Scalar]) {
        guard !isEmpty else { return }
        scalars.insert(contentsOf: prefix, at: 0)
        starts.insert(contentsOf: Array(repeating: starts[0], count: prefix.count), at: 0)
        ends.insert(contentsOf: Array(repeating: ends[0], count: prefix.count), at: 0)
    }

    /// Appends `suffix` after the last scalar, aligned to it. No-op on empty text.
    mutating func append(_ suffix: [Unicode.Scalar]) {
        guard let ls = starts.last, let le = ends.last else { return }
        scalars.append(contentsOf: suffix)
        starts.append(contentsOf: Array(repeating: ls, count: suffix.count))
        ends.append(contentsOf: Array(repeating: le, count: suffix.count))
    }

    /// Replaces each range in `matches` (sorted, non-overlapping) with `content`; content scalar j takes the
    /// alignment of matched scalar min(j, matchLength - 1).
    mutating func replace(_ matches: [Range<Int>], with content: [Unicode.Scalar]) {
        guard !matches.isEmpty else { return }
        var out = [(Unicode.Scalar, Int)]()
        out.reserveCapacity(count)
        var pos = 0
        for m in matches {
            for i in pos..<m.lowerBound { out.append((scalars[i], i)) }
            for (j, c) in content.enumerated() where !m.isEmpty {
                out.append((c, m.lowerBound + min(j, m.count - 1)))
            }
            pos = m.upperBound
        }
        for i in pos..<count { out.append((scalars[i], i)) }
        rebuild(out)
    }
}
