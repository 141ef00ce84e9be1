// SFTPacking: TRL 1.16's `pack_dataset` (trl/data_utils.py) on tokenized SFT sequences. Like the
// `datasets.map(batched=True)` call it runs in, packing works on consecutive groups of 1000 rows
// (datasets' default batch size), so no packed example mixes rows from two groups.
//  * bfd (Best Fit Decreasing, Ding et al. 2024, "Fewer Truncations Improve Language Modeling",
//    arXiv:2404.10830): each sequence is cut to max_length, empty ones are dropped, sequences are taken
//    longest first (a stable sort, as Arrow's) and each goes into the open bin with the least remaining
//    space that still fits it (the oldest such bin on ties), else into a new bin. A packed example keeps its
//    sequences separate (`seq_lengths` in TRL): the trainer runs them with position ids restarting at 0
//    and no attention across them, as transformers' padding-free forward does.
//  * bfd_split: as bfd, but a sequence longer than max_length is split into max_length fragments first.
//  * wrapped: the group's sequences are concatenated and cut every max_length tokens, ignoring
//    boundaries; a packed example is one sequence, attended causally across the documents it holds.

/// TRL's `packing_strategy`.
public enum PackingStrategy: String, Codable, Sendable, CaseIterable {
    /// Best-fit-decreasing bins of whole sequences (overflow truncated). TRL's default.
    case bfd
    /// Best-fit-decreasing bins after splitting long sequences into max_length fragments.
    case bfdSplit = "bfd_split"
    /// Concatenate and cut at max_length, ignoring sequence boundaries.
    case wrapped
}

/// One training example: one sequence, or the sequences of a bfd bin (at most max_length tokens in total).
public struct SFTPackedExample: Codable, Sendable, Equatable {
    /// The sequences, in packing order.
    public var sequences: [TokenizedSFT]

    /// Creates an example.
    public init(sequences: [TokenizedSFT]) { self.sequences = sequences }

    /// Total tokens.
    public var tokenCount: Int { sequences.reduce(0) { $0 + $1.ids.count } }
}

/// `pack_dataset`.
public enum SFTPacking {
    /// Rows per packing group (datasets' `map` batch size).
    public static let groupSize = 1000

    /// Packs `sequences` into examples of at most `maxLength` tokens.
    public static func pack(_ sequences: [TokenizedSFT], maxLength: Int, strategy: PackingStrategy) -> [SFTPackedExample] {
        precondition(maxLength >= 1, "max_length is validated by SFTTokenizer")
        var out: [SFTPackedExample] = []
        for start in stride(from: 0, to: sequences.count, by: groupSize) {
            let group = Array(sequences[start ..< min(start + groupSize, sequences.count)])
            switch strategy {
            case .bfd: out += bestFitDecreasing(group.map { $0.truncated(maxLength: maxLength, mode: .keepStart) }, maxLength)
            case .bfdSplit: out += bestFitDecreasing(group.flatMap { fragments($0, maxLength) }, maxLength)
            case .wrapped: out += wrapped(group, maxLength)
            }
        }
        return out
    }

    /// `_pack_bfd` after truncation or splitting: bins of whole sequences.
    static func bestFitDecreasing(_ seqs: [TokenizedSFT], _ capacity: Int) -> [SFTPackedExample] {
        let nonEmpty = seqs.filter { !$0.ids.isEmpty }
        // Stable sort by length, longest first (pyarrow's sort is stable).
        let order = nonEmpty.indices.sorted { (nonEmpty[$0].ids.count, $1) > (nonEmpty[$1].ids.count, $0) }
        var bins: [[Int]] = []
        // Remaining space → bins with exactly that space, oldest first (TRL's `space_to_bin` deques).
        var binsBySpace: [Int: [Int]] = [:]
        for i in order {
            let length = nonEmpty[i].ids.count
            // The smallest remaining space that fits (TRL's segment-tree search); a new bin when none does.
            let fit = binsBySpace.keys.filter { $0 >= length }.min()
            let bin: Int, space: Int
            if let s = fit, var queue = binsBySpace[s], !queue.isEmpty {
                bin = queue.removeFirst()
                binsBySpace[s] = queue.isEmpty ? nil : queue
                space = s
            } else {
                bin = bins.count
                bins.append([])
                space = capacity
            }
            bins[bin].append(i)
            if space - length > 0 { binsBySpace[space - length, default: []].append(bin) }
        }
        return bins.map { SFTPackedExample(sequences: $0.map { nonEmpty[$0] }) }
    }

    /// bfd_split's fragments: [0, n), [n, 2n), … of a sequence (the last one shorter).
    static func fragments(_ s: TokenizedSFT, _ n: Int) -> [TokenizedSFT] {
        stride(from: 0, to: s.ids.count, by: n).map { a in
            let b = min(a + n, s.ids.count)
            return TokenizedSFT(ids: Array(s.ids[a ..< b]), isTarget: Array(s.isTarget[a ..< b]))
        }
    }

    /// `_pack_wrapped`: the concatenation cut every `n` tokens.
    static func wrapped(_ seqs: [TokenizedSFT], _ n: Int) -> [SFTPackedExample] {
        let ids = seqs.flatMap(\.ids), targets = seqs.flatMap(\.isTarget)
        return stride(from: 0, to: ids.count, by: n).map { a in
            let b = min(a + n, ids.count)
            return SFTPackedExample(sequences: [TokenizedSFT(ids: Array(ids[a ..< b]), isTarget: Array(targets[a ..< b]))])
        }
    }
}
