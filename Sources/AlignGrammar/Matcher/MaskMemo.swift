// MaskMemo: a matcher's last few whole masks, reused when the next mask is provably the same.
//
// Inside a lexeme that began before the current position (the body of an unbounded string, most
// often) consecutive masks are identical: the same lexer state, and the same chart behind it. The
// root lexer state fixes the current set's terminal items up to their origins, and its pair tags name
// the origin lists (`LexAutomaton.intern(items:)`). When every origin lies before the current
// position, nothing else in the current set can matter: an item waiting on a nonterminal there
// would have predicted that nonterminal's terminal items with the current position as origin, and
// completed items are inert. A completion during the walk reads only the set at its item's origin,
// whose items have earlier origins still, so the walk reads sets 0...m (m = the largest origin) and
// the current set's terminal items, nothing more. The chart is a stack and every set has an id that
// is never reused (`EarleyParser.setId`), so the id at m says whether sets 0...m are the ones the
// memoized mask was computed from. Key: (root lexer state, origin lists in tag order, that id).
// The lexer automaton and root-mask cache are deterministic caches, so they never change a result.

/// Up to `capacity` whole masks (before EOS bits) of one matcher with the key that decides them.
struct MaskMemo {
    struct Entry {
        var root: Int32
        var setId: UInt64
        /// The origin lists in tag order, each as (count, origins…).
        var origins: [Int32]
        var words: [UInt32]
        var limitHits: Int
    }

    static let capacity = 4
    private(set) var entries: [Entry] = []
    private var next = 0
    /// Scratch for the key of the current mask.
    var key: [Int32] = []
    /// Masks answered from the memo (statistics and tests).
    var hits = 0

    /// Writes the origin lists of a root's tags (`origins`: list → tag, tags 1...count) into `key` in
    /// tag order. Returns the largest origin (−1 if there is none).
    mutating func makeKey(_ origins: [[Int32]: UInt64]) -> Int {
        key.removeAll(keepingCapacity: true)
        var byTag = [[Int32]](repeating: [], count: origins.count)
        var largest = -1
        for (list, tag) in origins {
            byTag[Int(tag) - 1] = list
            for o in list where Int(o) > largest { largest = Int(o) }
        }
        for list in byTag { key.append(Int32(list.count)); key.append(contentsOf: list) }
        return largest
    }

    /// Copies the memoized mask of (`root`, `key`, `setId`) into `mask`; returns its item-limit count,
    /// or nil when it is not memoized.
    mutating func copy(root: Int32, setId: UInt64, into mask: UnsafeMutableBufferPointer<UInt32>, count: Int) -> Int? {
        guard let i = entries.firstIndex(where: { $0.root == root && $0.setId == setId && $0.origins == key }) else { return nil }
        hits += 1
        entries[i].words.withUnsafeBufferPointer { w in
            _ = UnsafeMutableBufferPointer(rebasing: mask[0..<count]).update(fromContentsOf: w[0..<count])
        }
        return entries[i].limitHits
    }

    /// Remembers `mask` as the mask of (`root`, `key`, `setId`), overwriting the oldest entry (and
    /// reusing its buffer: a matcher's masks all have `count` words) when full.
    mutating func store(root: Int32, setId: UInt64, _ mask: UnsafeMutableBufferPointer<UInt32>, count: Int, limitHits: Int) {
        if entries.count < MaskMemo.capacity {
            entries.append(Entry(root: root, setId: setId, origins: key, words: Array(mask[0..<count]), limitHits: limitHits))
            return
        }
        entries[next].root = root
        entries[next].setId = setId
        entries[next].origins.removeAll(keepingCapacity: true)
        entries[next].origins.append(contentsOf: key)
        entries[next].limitHits = limitHits
        entries[next].words.withUnsafeMutableBufferPointer { w in
            _ = w.update(fromContentsOf: UnsafeMutableBufferPointer(rebasing: mask[0..<count]))
        }
        next = (next + 1) % MaskMemo.capacity
    }
}
