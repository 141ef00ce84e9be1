// RandomGenerator: AlignTensor's seeded random source — Philox4x32-10 (Random/Philox.swift) with
// an explicit (seed, stream, offset) state, like PyTorch's Philox (seed, offset) pair.
//
// Block b of a generator is Philox4x32(counter: (lo(offset + b), hi(offset + b), lo(stream),
// hi(stream)), key: (lo(seed), hi(seed))). Every draw reserves a range of blocks and advances
// `offset` past it; element i of a tensor fill uses block (base + i/4), lane i%4. So a result
// depends only on the state before the call and the element index — never on how many threads
// produced it — and the whole state is three integers (Codable, for exact resume from a checkpoint).
// `fork()` derives an independent child generator the way JAX's `split` does: from a block of the
// parent, which advances past it.
// Left out: other engines (mt19937 for torch.manual_seed CPU parity is not attempted).

/// A reproducible random generator. Value type: copying it copies the state, and two copies
/// produce identical numbers.
///
///     var rng = RandomGenerator(seed: 42)
///     let w = Tensor.normal([4, 4], std: 0.02, generator: &rng)
///     var child = rng.fork()            // independent stream, e.g. for a data loader
public struct RandomGenerator: Sendable, Codable, Equatable {
    /// The Philox key (64 bits).
    public var seed: UInt64
    /// Selects an independent counter range (the high counter words).
    public var stream: UInt64
    /// Index of the next unused block (the low counter words).
    public var offset: UInt64

    /// A generator at the start of `stream` for `seed`.
    public init(seed: UInt64, stream: UInt64 = 0, offset: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
        self.offset = offset
    }

    /// Reserves `blocks` consecutive blocks (4 × 32 bits each) and returns them for indexed access.
    public mutating func reserve(blocks: Int) -> RandomBlocks {
        precondition(blocks >= 0, "RandomGenerator.reserve: negative block count \(blocks)")
        let window = RandomBlocks(seed: seed, stream: stream, base: offset)
        offset &+= UInt64(blocks)
        return window
    }

    /// The next block of four 32-bit values.
    public mutating func nextBlock() -> SIMD4<UInt32> {
        reserve(blocks: 1).block(0)
    }

    /// A uniform Float in [0, 1) with 24 random bits (consumes one block).
    public mutating func nextUniform() -> Float {
        RandomBlocks.unitFloat(nextBlock().x)
    }

    /// An independent child generator keyed by the parent's next block (the parent advances one block).
    public mutating func fork() -> RandomGenerator {
        let b = nextBlock()
        return RandomGenerator(seed: UInt64(b.x) | UInt64(b.y) << 32, stream: UInt64(b.z) | UInt64(b.w) << 32)
    }
}

/// A reserved range of Philox blocks: block `i` is a pure function of (seed, stream, base + i),
/// so kernels may evaluate blocks in any order on any thread.
public struct RandomBlocks: Sendable {
    public let seed: UInt64
    public let stream: UInt64
    public let base: UInt64

    /// The `i`-th reserved block.
    @inlinable
    public func block(_ i: Int) -> SIMD4<UInt32> {
        let c = base &+ UInt64(i)
        return Philox4x32.block(
            counter: SIMD4(UInt32(truncatingIfNeeded: c), UInt32(truncatingIfNeeded: c >> 32),
                           UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32)),
            key: SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
    }

    /// [0, 1) from the top 24 bits of `w`: every value is a multiple of 2⁻²⁴, exactly representable,
    /// so no rounding can reach 1. (PyTorch's float uniform also uses 24 bits, masking the low ones.)
    @inlinable
    public static func unitFloat(_ w: UInt32) -> Float {
        Float(w >> 8) * 0x1p-24
    }

    /// Four [0, 1) floats of block `i` (lanes in order).
    @inlinable
    public func uniforms(_ i: Int) -> SIMD4<Float> {
        let b = block(i)
        return SIMD4(RandomBlocks.unitFloat(b.x), RandomBlocks.unitFloat(b.y),
                     RandomBlocks.unitFloat(b.z), RandomBlocks.unitFloat(b.w))
    }
}
