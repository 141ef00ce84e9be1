// Tokenizer+Bytes: the vocabulary as the exact bytes each token stands for, which a grammar engine matches
// against: ByteLevel tokens through GPT-2's byte↔character map, SentencePiece-style tokens with ▁ as a space
// and `<0xNN>` byte-fallback tokens as the single byte NN; added tokens as the UTF-8 of their content.

extension Tokenizer {
    /// How token strings spell bytes, read from the decoder.
    enum ByteSpelling { case byteLevel, metaspace(Unicode.Scalar), plain }

    var byteSpelling: ByteSpelling {
        func find(_ d: any Decoder) -> ByteSpelling? {
            if d is ByteLevelDecoder { return .byteLevel }
            if let m = d as? MetaspaceDecoder { return .metaspace(m.replacement) }
            if let r = d as? ReplaceDecoder, case .literal(let lit) = r.pattern, lit.count == 1, r.content == [" "] {
                return .metaspace(lit[0])
            }
            if let s = d as? SequenceDecoder { return s.steps.lazy.compactMap(find).first }
            return nil
        }
        return decoder.flatMap(find) ?? .plain
    }

    func computeTokenBytes() -> [[UInt8]] {
        let spelling = byteSpelling
        return (0..<vocabSize).map { id in
            guard let t = token(for: id) else { return [] }
            if added.byId[id] != nil { return Array(t.utf8) }
            return Self.bytes(of: t, spelling)
        }
    }

    static func bytes(of t: String, _ spelling: ByteSpelling) -> [UInt8] {
        switch spelling {
        case .byteLevel:
            var out = [UInt8]()
            for s in t.unicodeScalars {
                guard let b = ByteLevelMap.byte(for: s) else { return Array(t.utf8) }
                out.append(b)
            }
            return out
        case .metaspace(let rep):
            if let b = ByteFallbackDecoder.byteValue(t) { return [b] }
            var v = String.UnicodeScalarView()
            for s in t.unicodeScalars { v.append(s == rep ? " " : s) }
            return Array(String(v).utf8)
        case .plain:
            return Array(t.utf8)
        }
    }
}
