// BPEModel: byte-pair encoding as tokenizers runs it (tokenizers/src/models/bpe/{model,word}.rs, v0.23.3):
// a word starts as one symbol per character (with continuing_subword_prefix / end_of_word_suffix, byte
// fallback to <0xNN> tokens or the unk token), then the adjacent pair with the lowest merge rank is merged,
// leftmost first on ties, until no pair has a merge. `ignore_merges` (Llama 3) looks the whole word up first.
// Merges load from both the "a b" string and the ["a", "b"] array formats. Dropout is not supported (off).
import Foundation

/// A BPE model with its vocabulary and merge table.
public final class BPEModel: TokenizerModel, @unchecked Sendable {
    let vocab: [VocabKey: Int32]
    let idToToken: [String]
    /// (left id << 32 | right id) → (rank << 32 | merged id).
    let merges: [UInt64: UInt64]
    let unkId: Int32?
    let fuseUnk: Bool
    let byteFallback: Bool
    let ignoreMerges: Bool
    let prefix: String?
    let suffix: String?
    /// Ids of single-character tokens for scalars < 0x400 (no prefix/suffix applies), -1 if absent.
    let charIds: [Int32]
    /// Ids of the 256 `<0xNN>` tokens, -1 if absent.
    let byteIds: [Int32]
    let cache = WordCache()

    public var vocabSize: Int { idToToken.count }

    init(_ node: JSONNode) throws {
        let vocabNode = try node.required("vocab")
        var v = [VocabKey: Int32]()
        var maxId = -1
        for (tok, idAny) in try vocabNode.asObject() {
            let id = try JSONNode(idAny, path: vocabNode.childPath(tok)).asInt()
            guard id >= 0 && id < Int(Int32.max) else {
                throw AlignTokenizersError.invalidValue(path: vocabNode.childPath(tok), expected: "a non-negative id")
            }
            v[VocabKey(tok)] = Int32(id); maxId = max(maxId, id)
        }
        var names = [String](repeating: "", count: maxId + 1)
        for (t, i) in v { names[Int(i)] = t.string }
        vocab = v; idToToken = names
        prefix = try node.optionalString("continuing_subword_prefix")
        suffix = try node.optionalString("end_of_word_suffix")
        merges = try Self.loadMerges(try node.required("merges"), vocab: v, prefix: prefix)
        if let unk = try node.optionalString("unk_token") {
            guard let u = v[VocabKey(unk)] else { throw AlignTokenizersError.invalidValue(path: node.childPath("unk_token"), expected: "a token of the vocabulary (got \(unk))") }
            unkId = u
        } else { unkId = nil }
        fuseUnk = try node.bool("fuse_unk", default: false)
        byteFallback = try node.bool("byte_fallback", default: false)
        ignoreMerges = try node.bool("ignore_merges", default: false)
        if let d = try node.optional("dropout"), let p = d.value as? NSNumber, p.doubleValue > 0 && p.doubleValue < 1 {
            throw AlignTokenizersError.invalidValue(path: d.path, expected: "null (BPE dropout is not supported)")
        }
        charIds = (0..<0x400).map { c in Unicode.Scalar(UInt32(c)).flatMap { v[VocabKey(String($0))] } ?? -1 }
        byteIds = (0..<256).map { b in v[VocabKey(String(format: "<0x%02X>", b))] ?? -1 }
    }

    /// The merged token of a pair is `a + b` with b's continuing-subword prefix removed (tokenizers' BPE builder).
    static func loadMerges(_ node: JSONNode, vocab: [VocabKey: Int32], prefix: String?) throws -> [UInt64: UInt64] {
        let list = try node.asArray()
        var m = [UInt64: UInt64](minimumCapacity: list.count)
        for (rank, item) in list.enumerated() {
            let pair: [String]
            if let s = item.value as? String {
                pair = s.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else if let a = item.value as? [Any] {
                pair = a.compactMap { $0 as? String }
                guard pair.count == a.count else { throw AlignTokenizersError.invalidValue(path: item.path, expected: "two strings") }
            } else {
                throw AlignTokenizersError.invalidValue(path: item.path, expected: "\"a b\" or [\"a\", \"b\"]")
            }
            guard pair.count == 2 else { throw AlignTokenizersError.invalidValue(path: item.path, expected: "exactly two tokens") }
            var right = Substring(pair[1])
            if let p = prefix, right.utf8.starts(with: p.utf8) { right = Substring(right.utf8.dropFirst(p.utf8.count)) }
            guard let a = vocab[VocabKey(pair[0])], let b = vocab[VocabKey(pair[1])], let c = vocab[VocabKey(pair[0] + String(right))] else {
                throw AlignTokenizersError.invalidMerge(path: item.path, merge: pair.joined(separator: " "))
            }
            let key = UInt64(UInt32(a)) << 32 | UInt64(UInt32(b))
            if m[key] == nil { m[key] = UInt64(rank) << 32 | UInt64(UInt32(c)) }
        }
        return m
    }

    public func token(for id: Int) -> String? { id >= 0 && id < idToToken.count ? idToToken[id] : nil }
    public func id(for token: String) -> Int? { vocab[VocabKey(token)].map(Int.init) }

    public func tokenize(_ word: [Unicode.Scalar], into out: inout [WordToken]) {
        guard !word.isEmpty else { return }
        if let hit = cache.get(word) { out.append(contentsOf: hit); return }
        var toks = [WordToken]()
        if ignoreMerges, let id = vocab[VocabKey(Self.string(word[...]))] {
            toks.append(WordToken(id: id, start: 0, end: Int32(word.count)))
        } else {
            var syms = initialSymbols(word)
            BPEMerger.mergeAll(&syms, merges: merges)
            toks = syms
        }
        cache.put(word, toks)
        out.append(contentsOf: toks)
    }

    static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s)
        return String(v)
    }

    /// One symbol per character (or per byte under byte fallback), unknown characters as unk.
    func initialSymbols(_ word: [Unicode.Scalar]) -> [WordToken] {
        var syms = [WordToken]()
        syms.reserveCapacity(word.count)
        let plain = prefix == nil && suffix == nil
        for (i, s) in word.enumerated() {
            let r0 = Int32(i), r1 = Int32(i + 1)
            var id: Int32 = -1
            if plain && s.value < 0x400 {
                id = charIds[Int(s.value)]
            } else {
                var t = String(s)
                if i > 0, let p = prefix { t = p + t }
                if i == word.count - 1, let x = suffix { t += x }
                id = vocab[VocabKey(t)] ?? -1
            }
            if id >= 0 { syms.append(WordToken(id: id, start: r0, end: r1)); continue }
            if byteFallback {
                let ids = String(s).utf8.map { byteIds[Int($0)] }
                if ids.allSatisfy({ $0 >= 0 }) {
                    for b in ids { syms.append(WordToken(id: b, start: r0, end: r1)) }
                    continue
                }
            }
            guard let unk = unkId else { continue }  // tokenizers drops characters it cannot represent
            if fuseUnk, let last = syms.last, last.id == unk { syms[syms.count - 1].end = r1 } else {
                syms.append(WordToken(id: unk, start: r0, end: r1))
            }
        }
        return syms
    }
}

/// A bounded, thread-safe cache of tokenized words (tokenizers keeps one of 10,000 entries).
final class WordCache: @unchecked Sendable {
    private var map = [[Unicode.Scalar]: [WordToken]]()
    private let lock = NSLock()
    static let capacity = 10_000

    func get(_ w: [Unicode.Scalar]) -> [WordToken]? {
        lock.lock(); defer { lock.unlock() }
        return map[w]
    }

    func put(_ w: [Unicode.Scalar], _ t: [WordToken]) {
        guard w.count < 64 else { return }
        lock.lock(); defer { lock.unlock() }
        if map.count >= Self.capacity { map.removeAll(keepingCapacity: true) }
        map[w] = t
    }
}

/// A vocabulary key compared byte for byte: Swift's String equality is canonical equivalence, under which
/// distinct tokens such as "é" and "e\u{301}" would collide.
struct VocabKey: Hashable {
    let string: String
    init(_ s: String) { string = s }
    static func == (a: VocabKey, b: VocabKey) -> Bool { a.string.utf8.elementsEqual(b.string.utf8) }
    func hash(into h: inout Hasher) {
        var s = string
        s.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
