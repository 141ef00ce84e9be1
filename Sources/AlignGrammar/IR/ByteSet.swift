// ByteSet: a set of byte values (0…255) as a 256-bit bitmap. The terminal alphabet of every automaton
// in AlignGrammar is bytes, as in llguidance and xgrammar, so tokens that split a UTF-8 character work.

/// A set of bytes stored as four 64-bit words.
public struct ByteSet: Hashable, Sendable {
    /// Words 0…3 hold bytes 0–63, 64–127, 128–191, 192–255.
    public var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    /// The empty set.
    public init() {}

    /// The set of bytes in `range`.
    public init(_ range: ClosedRange<UInt8>) {
        for b in range { insert(b) }
    }

    /// The set of the given bytes.
    public init<S: Sequence>(bytes: S) where S.Element == UInt8 {
        for b in bytes { insert(b) }
    }

    /// All 256 bytes.
    public static let all: ByteSet = {
        var s = ByteSet(); s.w0 = ~0; s.w1 = ~0; s.w2 = ~0; s.w3 = ~0; return s
    }()

    /// Whether `b` is in the set.
    @inline(__always) public func contains(_ b: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: return w0 & bit != 0
        case 1: return w1 & bit != 0
        case 2: return w2 & bit != 0
        default: return w3 & bit != 0
        }
    }

    /// Adds `b`.
    public mutating func insert(_ b: UInt8) {
        let bit = UInt64(1) << UInt64(b & 63)
        switch b >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    /// Set union.
    public func union(_ o: ByteSet) -> ByteSet {
        var s = self; s.w0 |= o.w0; s.w1 |= o.w1; s.w2 |= o.w2; s.w3 |= o.w3; return s
    }

    /// Whether no byte is in the set.
    public var isEmpty: Bool { (w0 | w1 | w2 | w3) == 0 }

    /// The number of bytes in the set.
    public var count: Int { w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount }

    /// The members in increasing order.
    public var members: [UInt8] { (0...255).compactMap { contains(UInt8($0)) ? UInt8($0) : nil } }
}
