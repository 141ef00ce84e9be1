// GrammarVocabulary: reads a Hugging Face tokenizer.json (file or folder) into the byte vocabulary the
// grammar engine needs (token id → exact bytes), decoding GPT-2 ByteLevel pieces (openai/gpt-2
// encoder.py bytes_to_unicode) and `<0xNN>` byte-fallback pieces; special added tokens get empty bytes.
// Instances are split by greedy longest match over the vocabulary — a valid tokenization (every byte
// is a token), though not always the BPE-canonical one; the real tokenizer lives in AlignTokenizers.
import AlignGrammar
import ArgumentParser
import Foundation

struct GrammarVocabulary {
    let vocab: TokenVocabulary
    let byBytes: [[UInt8]: Int]

    static let unicodeToByte: [UInt32: UInt8] = {
        var bs: [Int] = Array(33...126) + Array(161...172) + Array(174...255)
        var cs = bs
        var n = 0
        for b in 0..<256 where !bs.contains(b) { bs.append(b); cs.append(256 + n); n += 1 }
        var m: [UInt32: UInt8] = [:]
        for (b, c) in zip(bs, cs) { m[UInt32(c)] = UInt8(b) }
        return m
    }()

    init(path: String) throws {
        var url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            url = url.appendingPathComponent("tokenizer.json")
        }
        let data = try Data(contentsOf: url)
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let model = json["model"] as? [String: Any], let pieces = model["vocab"] as? [String: Int] else {
            throw ValidationError("\(url.path): expected a tokenizer.json with model.vocab")
        }
        var special: [String: Int] = [:]
        for a in json["added_tokens"] as? [[String: Any]] ?? [] where (a["special"] as? Bool) == true {
            if let id = a["id"] as? Int, let c = a["content"] as? String { special[c] = id }
        }
        let size = max((pieces.values.max() ?? 0), special.values.max() ?? 0) + 1
        var tokens = [[UInt8]](repeating: [], count: size)
        var byBytes: [[UInt8]: Int] = [:]
        for (piece, id) in pieces where special[piece] == nil && id >= 0 {
            let bytes = Self.decode(piece)
            tokens[id] = bytes
            if !bytes.isEmpty, byBytes[bytes].map({ id < $0 }) ?? true { byBytes[bytes] = id }
        }
        let eos = ["</s>", "<|endoftext|>", "<|eot_id|>", "<|im_end|>", "<eos>"].compactMap { special[$0] }
        vocab = try TokenVocabulary(tokens: tokens, eosTokenIds: Array(eos.prefix(1)))
        self.byBytes = byBytes
    }

    static func decode(_ piece: String) -> [UInt8] {
        if piece.hasPrefix("<0x"), piece.hasSuffix(">"), piece.count == 6, let b = UInt8(piece.dropFirst(3).dropLast(), radix: 16) {
            return [b]
        }
        let mapped = piece.unicodeScalars.compactMap { unicodeToByte[$0.value] }
        if mapped.count == piece.unicodeScalars.count { return mapped }
        return Array(piece.replacingOccurrences(of: "▁", with: " ").utf8)   // SentencePiece-style piece
    }

    /// Greedy longest-match split of `bytes`; nil if some byte has no token.
    func tokenize(_ bytes: [UInt8]) -> [Int]? {
        var out: [Int] = []
        var i = 0
        while i < bytes.count {
            var len = min(32, bytes.count - i)
            while len > 0, byBytes[Array(bytes[i..<(i + len)])] == nil { len -= 1 }
            if len == 0 { return nil }
            out.append(byBytes[Array(bytes[i..<(i + len)])] ?? -1)
            i += len
        }
        return out
    }
}
