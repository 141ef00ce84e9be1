// ReferenceLogpsCache: the reference model's sequence log-probs of a tokenized preference dataset, stored on disk
// under a key that hashes everything they depend on — the reference's parameters (names, shapes, bytes), its spec,
// the tokenized examples, the pad id, the batch size (padding changes the last bits of a batched forward) and the
// row layout (a pair packed as one [prompt, chosen, rejected] row sums in another order than two rows).
// A second run of the same data against the same reference reads the file instead of running the reference
// (TRL's precompute_ref_log_probs recomputes each run; its datasets cache keys on the dataset fingerprint).
// Files are JSON `{"key", "count", "chosen": [...], "rejected": [...]}` written atomically; Swift prints each Float
// in its shortest round-trip form, so a cached value reads back bit-identical.
import AlignModels
import AlignTensor
import Foundation

/// A 128-bit non-cryptographic content hash (two 64-bit lanes over 8-byte words, each a multiply-rotate mix
/// in the style of xxHash/Murmur finalisers). Enough to key a cache, not to resist an adversary.
public struct ContentHash {
    private var a: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private var length: UInt64 = 0

    public init() {}

    @inline(__always) private mutating func mix(_ w: UInt64) {
        a = ((a ^ w) &* 0xFF51_AFD7_ED55_8CCD).rotatedLeft(31)
        b = ((b ^ (w &+ 0x1656_67B1_9E37_79F9)) &* 0xC4CE_B9FE_1A85_EC53).rotatedLeft(27)
    }

    /// Feeds raw bytes (whole 8-byte words, then the tail padded with zeros).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        let words = bytes.count / 8
        for i in 0 ..< words { mix(bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
        var tail: UInt64 = 0
        for i in stride(from: words * 8, to: bytes.count, by: 1) { tail |= UInt64(bytes[i]) << (8 * UInt64(i - words * 8)) }
        if bytes.count % 8 != 0 { mix(tail) }
        length &+= UInt64(bytes.count)
        mix(length)  // delimits this update from the next
    }

    public mutating func update(_ string: String) { var s = string; s.withUTF8 { update(UnsafeRawBufferPointer($0)) } }

    public mutating func update<T>(_ values: [T]) { values.withUnsafeBytes { update($0) } }

    /// 32 hex digits.
    public var hex: String {
        String(format: "%016llx%016llx", a ^ (b >> 17), b ^ (a << 13))
    }
}

extension UInt64 {
    @inline(__always) fileprivate func rotatedLeft(_ k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}

/// The on-disk cache of reference sequence log-probs.
public struct ReferenceLogpsCache {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The key of `reference` log-probs over `data` computed with `padID` in batches of `batchSize`, with pairs
    /// that share their prompt packed into one row when `sharePrompt` (`DPOTrainer.sharePrompt`).
    public static func key(reference: DecoderModel, data: [TokenizedPreference], padID: Int32, batchSize: Int,
                           sharePrompt: Bool = true) -> String {
        var h = ContentHash()
        h.update(String(describing: reference.spec))
        for (name, p) in reference.namedParameters() + reference.loraParameters() {
            h.update("\(name) \(p.shape)")
            p.withUnsafeBuffer { h.update(UnsafeRawBufferPointer($0)) }
        }
        h.update([Int64(padID), Int64(batchSize), Int64(data.count)])
        if !sharePrompt { h.update("unpacked rows") }  // the packed layout keeps the keys written before this field
        for ex in data {
            h.update(ex.prompt)
            h.update(ex.chosen)
            h.update(ex.rejected)
            h.update(ex.rejectedPrompt ?? [-1])
        }
        return h.hex
    }

    func file(_ key: String) -> URL { directory.appendingPathComponent("ref-logps-\(key).json") }

    private struct Entry: Codable {
        var key: String
        var count: Int
        var chosen: [Float]
        var rejected: [Float]
    }

    /// The cached log-probs for `key`, or nil when absent or unreadable (a damaged file is recomputed, not trusted).
    public func load(key: String, count: Int) -> [(Float, Float)]? {
        guard let data = try? Data(contentsOf: file(key)),
              let e = try? JSONDecoder().decode(Entry.self, from: data),
              e.key == key, e.count == count, e.chosen.count == count, e.rejected.count == count else { return nil }
        return Array(zip(e.chosen, e.rejected))
    }

    /// Stores `logps` under `key` atomically (temp file + rename).
    public func store(key: String, _ logps: [(Float, Float)]) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let e = Entry(key: key, count: logps.count, chosen: logps.map(\.0), rejected: logps.map(\.1))
        try JSONEncoder().encode(e).write(to: file(key), options: .atomic)
    }

    /// Cached values when present, else `compute()` stored for next time.
    public func logps(key: String, count: Int, compute: () throws -> [(Float, Float)]) throws -> (values: [(Float, Float)], hit: Bool) {
        if let cached = load(key: key, count: count) { return (cached, true) }
        let values = try compute()
        try store(key: key, values)
        return (values, false)
    }
}
