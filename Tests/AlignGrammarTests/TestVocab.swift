// Test helpers: toy vocabularies and a decoder of the shared 32k byte-level BPE tokenizer's vocabulary
// (GPT-2's byte↔unicode map, openai/gpt-2 encoder.py bytes_to_unicode), independent of AlignTokenizers.
import Foundation
import AlignGrammar
import AlignTestSupport

enum TestVocab {
    /// A toy vocabulary: the given strings as tokens, plus EOS (id = count, empty bytes).
    static func toy(_ strings: [String]) throws -> TokenVocabulary {
        try TokenVocabulary(tokens: strings.map { Array($0.utf8) } + [[]], eosTokenIds: [strings.count])
    }

    /// All 256 single bytes as tokens 0…255, EOS = 256.
    static func bytes() throws -> TokenVocabulary {
        try TokenVocabulary(tokens: (0..<256).map { [UInt8($0)] } + [[]], eosTokenIds: [256])
    }

    /// GPT-2's printable-unicode stand-ins for bytes, inverted: unicode scalar → byte.
    static let unicodeToByte: [UInt32: UInt8] = {
        var bs: [Int] = Array(33...126) + Array(161...172) + Array(174...255)
        var cs = bs
        var n = 0
        for b in 0..<256 where !bs.contains(b) { bs.append(b); cs.append(256 + n); n += 1 }
        var m: [UInt32: UInt8] = [:]
        for (b, c) in zip(bs, cs) { m[UInt32(c)] = UInt8(b) }
        return m
    }()

    /// The shared 32k tokenizer: vocabulary bytes, and a greedy-free exact encoder via its merges is
    /// not needed — tests tokenize by longest-match over the vocabulary (a valid, if non-canonical, split).
    static let tok32k: (vocab: TokenVocabulary, byBytes: [[UInt8]: Int])? = {
        let url = FixturePaths.shared("models/tokenizer-32k.json")
        guard let data = try? Data(contentsOf: url),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let model = json["model"] as? [String: Any],
              let vocab = model["vocab"] as? [String: Int] else { return nil }
        var special = Set<Int>()
        for a in json["added_tokens"] as? [[String: Any]] ?? [] where (a["special"] as? Bool) == true {
            if let id = a["id"] as? Int { special.insert(id) }
        }
        let size = (vocab.values.max() ?? 0) + 1
        var tokens = [[UInt8]](repeating: [], count: size)
        var byBytes: [[UInt8]: Int] = [:]
        for (piece, id) in vocab where !special.contains(id) {
            let bytes = piece.unicodeScalars.compactMap { unicodeToByte[$0.value] }
            guard bytes.count == piece.unicodeScalars.count else { continue }
            tokens[id] = bytes
            if byBytes[bytes] == nil { byBytes[bytes] = id }
        }
        guard let eos = vocab["</s>"], let v = try? TokenVocabulary(tokens: tokens, eosTokenIds: [eos]) else { return nil }
        return (v, byBytes)
    }()

    /// Greedy longest-match tokenization of `bytes` over `byBytes` (every single byte is a token).
    static func tokenize(_ bytes: [UInt8], _ byBytes: [[UInt8]: Int]) -> [Int] {
        var out: [Int] = []
        var i = 0
        while i < bytes.count {
            var best = 1
            var len = min(16, bytes.count - i)
            while len > 1 {
                if byBytes[Array(bytes[i..<(i + len)])] != nil { best = len; break }
                len -= 1
            }
            out.append(byBytes[Array(bytes[i..<(i + best)])] ?? -1)
            i += best
        }
        return out
    }
}

/// Runs `text` through a fresh matcher byte by byte; true if every byte is accepted and the end accepts.
func matchesFully(_ g: CompiledGrammar, _ text: String) throws -> Bool {
    let m = GrammarMatcher(grammar: g, vocabulary: try TestVocab.bytes())
    for b in text.utf8 where !m.acceptToken(Int(b)) { return false }
    return m.isAccepting
}
