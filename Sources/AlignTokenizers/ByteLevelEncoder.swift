// ByteLevelEncoder: a fast path for the pipeline most current models ship — no normalizer (or NFC on text NFC
// leaves unchanged), a byte-level split regex (GPT-2's inside ByteLevel, or Split with the Llama 3 / Qwen2
// regex followed by ByteLevel without its regex), and BPE without subword affixes. It produces exactly what the
// general pipeline produces (the parity tests run both) but works on UTF-8 bytes directly: one regex pass, a
// per-thread word cache keyed by the word's bytes, BPE over byte ids, and offsets from a byte → character map,
// with no per-word allocation on cache hits. tokenizers (Rust) caches words the same way (models/bpe/model.rs).

/// The fast byte-level encoder; built only when the pipeline has the supported shape.
struct ByteLevelEncoder: Sendable {
    let regex: KnownRegex
    let nfc: Bool
    let model: BPEModel
    /// Token id of the byte-level character of each byte.
    let byteIds: [Int32]
    let idToToken: [String]

    /// Recognises the supported pipeline shapes.
    init?(normalizer: (any Normalizer)?, preTokenizer: (any PreTokenizer)?, model: any TokenizerModel) {
        guard let bpe = model as? BPEModel, bpe.prefix == nil, bpe.suffix == nil else { return nil }
        if let n = normalizer {
            guard let u = n as? UnicodeNormalizer, u.form == .nfc else { return nil }
            nfc = true
        } else { nfc = false }
        if let bl = preTokenizer as? ByteLevelPreTokenizer, bl.useRegex, !bl.addPrefixSpace {
            regex = .gpt2
        } else if let seq = preTokenizer as? SequencePreTokenizer, seq.steps.count == 2,
                  let split = seq.steps[0] as? SplitPreTokenizer, case .known(let k) = split.pattern,
                  split.behavior == .isolated, !split.invert,
                  let bl = seq.steps[1] as? ByteLevelPreTokenizer, !bl.useRegex, !bl.addPrefixSpace {
            regex = k
        } else { return nil }
        let ids = (0..<256).map { bpe.charIds[Int(ByteLevelMap.byteToScalar[$0].value)] }
        guard ids.allSatisfy({ $0 >= 0 }) else { return nil }
        byteIds = ids
        self.model = bpe
        idToToken = bpe.idToToken
    }

    /// Whether this segment can take the fast path (NFC would leave it unchanged).
    func accepts(_ s: ArraySlice<Unicode.Scalar>) -> Bool {
        !nfc || NFCStability.isStable(s)
    }

    /// Encodes `original[range]` (no added tokens inside), appending to `enc`.
    func encode(_ original: [Unicode.Scalar], _ range: Range<Int>, into enc: inout Encoding, scratch: inout EncodeScratch) {
        enc.reserve(enc.ids.count + range.count / 3 + 4)
        // Borrow the shared tables once per call: per-token accesses then touch no reference counts, which
        // would otherwise be contended between the threads of a batch.
        original.withUnsafeBufferPointer { all in
            idToToken.withUnsafeBufferPointer { names in
                let seg = UnsafeBufferPointer(rebasing: all[range])
                var i = 0
                while i < seg.count {
                    let end = regex.matchEnd(seg, i)
                    encodeWord(seg, i..<end, base: range.lowerBound, names: names, into: &enc, scratch: &scratch)
                    i = end
                }
            }
        }
    }

    private func encodeWord(_ seg: UnsafeBufferPointer<Unicode.Scalar>, _ r: Range<Int>, base: Int,
                            names: UnsafeBufferPointer<String>, into enc: inout Encoding, scratch: inout EncodeScratch) {
        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.byteChar.removeAll(keepingCapacity: true)
        for k in r {
            let v = seg[k].value
            let c = Int32(k - r.lowerBound)
            if v < 0x80 {
                scratch.bytes.append(UInt8(v)); scratch.byteChar.append(c)
            } else {
                for b in String(seg[k]).utf8 { scratch.bytes.append(b); scratch.byteChar.append(c) }
            }
        }
        let bytes = scratch.bytes
        let (start, count) = scratch.cache.lookupOrInsert(bytes) { tokenizeBytes(bytes, into: &$0) }
        let first = base + r.lowerBound
        scratch.cache.tokens.withUnsafeBufferPointer { toks in
            scratch.byteChar.withUnsafeBufferPointer { bc in
                for t in toks[start..<(start + count)] {
                    let s = first + Int(bc[Int(t.start)])
                    let e = first + Int(bc[Int(t.end) - 1]) + 1
                    enc.append(id: Int(t.id), token: names[Int(t.id)], offset: (s, e), special: false)
                }
            }
        }
    }

    /// BPE over the bytes of one word (token ranges in bytes).
    func tokenizeBytes(_ bytes: [UInt8], into out: inout [WordToken]) {
        if model.ignoreMerges {
            var v = String.UnicodeScalarView()
            for b in bytes { v.append(ByteLevelMap.byteToScalar[Int(b)]) }
            if let id = model.vocab[VocabKey(String(v))] {
                out.append(WordToken(id: id, start: 0, end: Int32(bytes.count))); return
            }
        }
        var syms = bytes.enumerated().map { WordToken(id: byteIds[Int($0.element)], start: Int32($0.offset), end: Int32($0.offset + 1)) }
        BPEMerger.mergeAll(&syms, merges: model.merges)
        out.append(contentsOf: syms)
    }
}

/// Per-thread scratch space of the fast path: byte buffers and the word cache.
struct EncodeScratch {
    var bytes: [UInt8] = []
    var byteChar: [Int32] = []
    var cache = WordTokenCache()
}
