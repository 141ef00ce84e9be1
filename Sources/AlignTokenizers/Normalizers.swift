// Normalizers: the `normalizer` stage of tokenizer.json, one small type per `"type"` string, mirroring
// tokenizers/src/normalizers/*.rs (v0.23.3): NFC, NFD, NFKC, NFKD, Lowercase, Prepend, Append, Replace, Strip,
// Sequence and BertNormalizer. Left out: StripAccents' and Precompiled (SentencePiece charsmap) — unknown types
// are errors naming the key.
import Foundation

/// One normalization step; it rewrites the text and keeps alignments to the original.
public protocol Normalizer: Sendable {
    func normalize(_ text: inout NormalizedText)
}

/// NFC / NFD / NFKC / NFKD.
public struct UnicodeNormalizer: Normalizer {
    public let form: UnicodeNormalForm
    public func normalize(_ text: inout NormalizedText) { text.normalize(form) }
}

/// Per-character full lowercase mapping (Rust `char::to_lowercase`, no locale or context).
public struct LowercaseNormalizer: Normalizer {
    public func normalize(_ text: inout NormalizedText) {
        if text.scalars.allSatisfy({ $0.value < 0x80 && !(0x41...0x5A).contains($0.value) }) { return }
        text.mapScalars { s in
            if s.value < 0x80 { return [(0x41...0x5A).contains(s.value) ? Unicode.Scalar(UInt8(s.value + 32)) : s] }
            return Array(s.properties.lowercaseMapping.unicodeScalars)
        }
    }
}

/// Prepends a string to non-empty text (`Prepend`), or appends one (`Append`).
public struct AffixNormalizer: Normalizer {
    public let content: [Unicode.Scalar]
    public let atStart: Bool
    public func normalize(_ text: inout NormalizedText) {
        if atStart { text.prepend(content) } else { text.append(content) }
    }
}

/// Strips White_Space characters from the left and/or right.
public struct StripNormalizer: Normalizer {
    public let left: Bool, right: Bool
    public func normalize(_ text: inout NormalizedText) {
        var lo = 0, hi = text.count
        if left { while lo < hi, text.scalars[lo].isSpaceClass { lo += 1 } }
        if right { while hi > lo, text.scalars[hi - 1].isSpaceClass { hi -= 1 } }
        if lo != 0 || hi != text.count { text = text.slice(lo..<hi) }
    }
}

/// Replaces every match of a literal string or regex with `content`.
public struct ReplaceNormalizer: Normalizer {
    public let pattern: SplitPattern
    public let content: [Unicode.Scalar]
    public func normalize(_ text: inout NormalizedText) {
        text.replace(pattern.matches(in: text.scalars), with: content)
    }
}

/// Applies normalizers in order.
public struct SequenceNormalizer: Normalizer {
    public let steps: [any Normalizer]
    public func normalize(_ text: inout NormalizedText) {
        for s in steps { s.normalize(&text) }
    }
}

/// BERT's normalizer: clean control characters, pad CJK ideographs with spaces, optional accent stripping and
/// lowercasing (tokenizers/src/normalizers/bert.rs).
public struct BertNormalizer: Normalizer {
    public let cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool, lowercase: Bool

    public func normalize(_ text: inout NormalizedText) {
        if cleanText {
            text.mapScalars { s in
                if s.value == 0 || s.value == 0xFFFD || (Self.isControl(s)) { return [] }
                return [s.isSpaceClass ? " " : s]
            }
        }
        if handleChineseChars {
            text.mapScalars { s in Self.isChinese(s) ? [" ", s, " "] : [s] }
        }
        if stripAccents {
            text.normalize(.nfd)
            text.mapScalars { s in s.properties.generalCategory == .nonspacingMark ? [] : [s] }
        }
        if lowercase { LowercaseNormalizer().normalize(&text) }
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        switch s.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return true  // unassigned (Cn) is kept, as tokenizers does
        default: return false
        }
    }

    static func isChinese(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B920...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }
}

/// Builds normalizers from their JSON `"type"`.
enum NormalizerFactory {
    static func make(_ node: JSONNode) throws -> any Normalizer {
        let type = try node.typeName()
        switch type {
        case "NFC": return UnicodeNormalizer(form: .nfc)
        case "NFD": return UnicodeNormalizer(form: .nfd)
        case "NFKC": return UnicodeNormalizer(form: .nfkc)
        case "NFKD": return UnicodeNormalizer(form: .nfkd)
        case "Lowercase": return LowercaseNormalizer()
        case "Prepend": return AffixNormalizer(content: Array(try node.string("prepend").unicodeScalars), atStart: true)
        case "Append": return AffixNormalizer(content: Array(try node.string("append").unicodeScalars), atStart: false)
        case "Strip":
            return StripNormalizer(left: try node.bool("strip_left", default: true), right: try node.bool("strip_right", default: true))
        case "Replace":
            return ReplaceNormalizer(pattern: try SplitPattern.parse(try node.required("pattern")),
                                     content: Array(try node.string("content").unicodeScalars))
        case "Sequence":
            return SequenceNormalizer(steps: try node.required("normalizers").asArray().map(make))
        case "BertNormalizer":
            let lower = try node.bool("lowercase", default: true)
            let strip = try node.optional("strip_accents")?.asBool() ?? lower
            return BertNormalizer(cleanText: try node.bool("clean_text", default: true),
                                  handleChineseChars: try node.bool("handle_chinese_chars", default: true),
                                  stripAccents: strip, lowercase: lower)
        default:
            throw AlignTokenizersError.unknownType(path: node.childPath("type"), type: type)
        }
    }
}
