// Decoders: the `decoder` stage of tokenizer.json (tokenizers/src/decoders/*.rs, v0.23.3). Each maps the list of
// token strings to a new list (`decode_chain`); the final text is their concatenation. Implemented: ByteLevel,
// Metaspace, ByteFallback, Fuse, Strip, Replace, BPEDecoder and Sequence.
import Foundation

/// One decoding step over token strings.
public protocol Decoder: Sendable {
    func decodeChain(_ tokens: [String]) -> [String]
}

/// Maps ByteLevel characters back to bytes, then decodes UTF-8 (invalid sequences become U+FFFD).
public struct ByteLevelDecoder: Decoder {
    public func decodeChain(_ tokens: [String]) -> [String] {
        var bytes = [UInt8]()
        for t in tokens {
            var tb = [UInt8]()
            var ok = true
            for s in t.unicodeScalars {
                guard let b = ByteLevelMap.byte(for: s) else { ok = false; break }
                tb.append(b)
            }
            bytes.append(contentsOf: ok ? tb : Array(t.utf8))
        }
        return [String(decoding: bytes, as: UTF8.self)]
    }
}

/// Turns the replacement (▁) back into spaces; in the first token it is dropped when a prefix was prepended.
public struct MetaspaceDecoder: Decoder {
    public let replacement: Unicode.Scalar
    public let prependScheme: MetaspacePreTokenizer.PrependScheme
    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { i, t in
            var v = String.UnicodeScalarView()
            for s in t.unicodeScalars {
                if s == replacement {
                    if i == 0 && prependScheme != .never { continue }
                    v.append(" ")
                } else { v.append(s) }
            }
            return String(v)
        }
    }
}

/// Runs of `<0xNN>` tokens become the text of their bytes, or one U+FFFD per byte if not valid UTF-8.
public struct ByteFallbackDecoder: Decoder {
    static func byteValue(_ t: String) -> UInt8? {
        let u = Array(t.utf8)
        guard u.count == 6, u[0] == 0x3C, u[1] == 0x30, u[2] == 0x78, u[5] == 0x3E else { return nil }
        return UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16)
    }

    public func decodeChain(_ tokens: [String]) -> [String] {
        var out = [String](), pending = [UInt8]()
        func flush() {
            guard !pending.isEmpty else { return }
            // Valid UTF-8 round-trips exactly (Foundation's decoders would drop a leading BOM, so avoid them).
            let s = String(decoding: pending, as: UTF8.self)
            if s.utf8.elementsEqual(pending) { out.append(s) } else {
                out.append(contentsOf: Array(repeating: "\u{FFFD}", count: pending.count))
            }
            pending.removeAll()
        }
        for t in tokens {
            if let b = Self.byteValue(t) { pending.append(b) } else { flush(); out.append(t) }
        }
        flush()
        return out
    }
}

/// Concatenates all tokens into one.
public struct FuseDecoder: Decoder {
    public func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
}

/// Removes up to `start` leading and `stop` trailing occurrences of `content` from each token.
public struct StripDecoder: Decoder {
    public let content: Unicode.Scalar
    public let start: Int, stop: Int
    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { t in
            let s = Array(t.unicodeScalars)
            var lo = 0, hi = s.count
            while lo < min(start, s.count), s[lo] == content { lo += 1 }
            var k = 0
            while k < stop, hi > lo, s[hi - 1] == content { hi -= 1; k += 1 }
            return BPEModel.string(s[lo..<hi])
        }
    }
}

/// Replaces a literal or regex pattern in each token.
public struct ReplaceDecoder: Decoder {
    public let pattern: SplitPattern
    public let content: [Unicode.Scalar]
    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { t in
            var n = NormalizedText(original: Array(t.unicodeScalars)[...])
            n.replace(pattern.matches(in: n.scalars), with: content)
            return n.string
        }
    }
}

/// `BPEDecoder`: the end-of-word suffix becomes a space (nothing after the last token).
public struct BPESuffixDecoder: Decoder {
    public let suffix: String
    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { i, t in t.replacingOccurrences(of: suffix, with: i == tokens.count - 1 ? "" : " ") }
    }
}

/// Applies decoders in order.
public struct SequenceDecoder: Decoder {
    public let steps: [any Decoder]
    public func decodeChain(_ tokens: [String]) -> [String] { steps.reduce(tokens) { $1.decodeChain($0) } }
}

/// Builds decoders from their JSON `"type"`.
enum DecoderFactory {
    static func make(_ node: JSONNode) throws -> any Decoder {
        let type = try node.typeName()
        switch type {
        case "ByteLevel": return ByteLevelDecoder()
        case "Metaspace":
            let m = try PreTokenizerFactory.metaspace(node)
            return MetaspaceDecoder(replacement: m.replacement, prependScheme: m.prependScheme)
        case "ByteFallback": return ByteFallbackDecoder()
        case "Fuse": return FuseDecoder()
        case "Strip":
            let c = try node.string("content")
            guard let s = c.unicodeScalars.first, c.unicodeScalars.count == 1 else {
                throw AlignTokenizersError.invalidValue(path: node.childPath("content"), expected: "a single character")
            }
            return StripDecoder(content: s, start: try node.int("start", default: 0), stop: try node.int("stop", default: 0))
        case "Replace":
            return ReplaceDecoder(pattern: try SplitPattern.parse(try node.required("pattern")),
                                  content: Array(try node.string("content").unicodeScalars))
        case "BPEDecoder": return BPESuffixDecoder(suffix: try node.string("suffix", default: "</w>"))
        case "Sequence": return SequenceDecoder(steps: try node.required("decoders").asArray().map(make))
        default: throw AlignTokenizersError.unknownType(path: node.childPath("type"), type: type)
        }
    }
}
