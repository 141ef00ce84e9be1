// PreTokenizers: the `pre_tokenizer` stage of tokenizer.json, one small type per `"type"` string, mirroring
// tokenizers/src/pre_tokenizers/*.rs (v0.23.3): ByteLevel, Split, Metaspace, Digits, Whitespace,
// WhitespaceSplit, Punctuation, Sequence. Each splits every current piece into smaller pieces, possibly
// rewriting them (ByteLevel maps bytes to characters, Metaspace spaces to ▁), with alignments kept.

/// One pre-tokenization step over the current list of pieces.
public protocol PreTokenizer: Sendable {
    func preTokenize(_ pieces: [NormalizedText]) -> [NormalizedText]
}

extension PreTokenizer {
    /// Splits each piece by `ranges(piece)`.
    func splitEach(_ pieces: [NormalizedText], _ ranges: (NormalizedText) -> [Range<Int>]) -> [NormalizedText] {
        var out = [NormalizedText]()
        out.reserveCapacity(pieces.count)
        for p in pieces {
            let rs = ranges(p)
            if rs.count == 1 && rs[0] == 0..<p.count { out.append(p) } else { out.append(contentsOf: rs.map { p.slice($0) }) }
        }
        return out
    }
}

/// Byte-level: optionally splits with the GPT-2 regex, optionally prefixes a space, then replaces each UTF-8
/// byte by its ByteLevelMap character (all bytes of a character keep that character's alignment).
public struct ByteLevelPreTokenizer: PreTokenizer {
    public let addPrefixSpace: Bool
    public let useRegex: Bool

    public func preTokenize(_ pieces: [NormalizedText]) -> [NormalizedText] {
        var ps = pieces
        if addPrefixSpace {
            ps = ps.map { p in
                var q = p
                if let f = q.scalars.first, f != " " { q.prepend([" "]) }  // tokenizers checks for U+0020 only
                return q
            }
        }
        if useRegex { ps = splitEach(ps) { KnownRegex.gpt2.matches(in: $0.scalars) } }
        return ps.map(Self.toBytes)
    }

    static func toBytes(_ p: NormalizedText) -> NormalizedText {
        var out = [(Unicode.Scalar, Int)]()
        out.reserveCapacity(p.count)
        for (i, s) in p.scalars.enumerated() {
            if s.value < 0x80 { out.append((ByteLevelMap.byteToScalar[Int(s.value)], i)); continue }
            for b in String(s).utf8 { out.append((ByteLevelMap.byteToScalar[Int(b)], i)) }
        }
        var q = p
        q.rebuild(out)
        return q
    }
}

/// Split by a pattern with one of the five behaviours, optionally inverted.
public struct SplitPreTokenizer: PreTokenizer {
    public let pattern: SplitPattern
    public let behavior: SplitBehavior
    public let invert: Bool
    public func preTokenize(_ pieces: [NormalizedText]) -> [NormalizedText] {
        splitEach(pieces) { behavior.split(count: $0.count, matches: pattern.matches(in: $0.scalars), invert: invert) }
    }
}

/// Splits on a per-character predicate (each matching character is one match), as tokenizers does for
/// Punctuation, Digits and WhitespaceSplit.
public struct CharSplitPreTokenizer: PreTokenizer {
    public enum Kind: Sendable { case punctuation, digits, whitespace }
    public let kind: Kind
    public let behavior: SplitBehavior

    public func preTokenize(_ pieces: [NormalizedText]) -> [NormalizedText] {
        splitEach(pieces) { p in
            var ms = [Range<Int>]()
            for (i, s) in p.scalars.enumerated() where test(s) { ms.append(i..<(i + 1)) }
            return behavior.split(count: p.count, matches: ms)
        }
    }

    func test(_ s: Unicode.Scalar) -> Bool {
        switch kind {
        case .punctuation: return CharClass.of(s).contains(.punctuation)
        case .digits: return CharClass.of(s).contains(.number)
        case .whitespace: return s.isSpaceClass
        }
    }
}

/// `Whitespace`: keeps the matches of `\w+|[^\w\s]+`.
public struct WhitespacePreTokenizer: PreTokenizer {
    public func preTokenize(_ pieces: [NormalizedText]) -> [NormalizedText] {
        splitEach(pieces) { p in
            var out = [Range<Int>](), i = 0
            let s = p.scalars
            while i < s.count {
                if s[i].isRegexWordChar {
                    var j = i + 1
                    while j < s.count, s[j].isRegexWordChar { j += 1 }
                    out.append(i..<j); i = j
                } else if !s[i].isSpaceClass {
                    var j = i + 1
                    while j < s.count, !s[j].isRegexWordChar, !s[j].isSpaceClass { j += 1 }
                    out.append(i..<j); i = j
                } else { i += 1 }
            }
            return out
        }
    }
}

/// SentencePiece-style: spaces become the replacement (▁), which is prepended per `prepend_scheme`
/// ("always", "first" = only the piece starting at the original's start, "never"); with `split`, pieces
/// are split before each ▁ (MergedWithNext).
public struct MetaspacePreTokenizer: PreTokenizer {
    public enum PrependScheme: String, Sendable { case always, first, never }
    public let replacement: Unicode.Scalar
    public let prependScheme: PrependScheme
    public let split: Bool

    public func preTokenize(_ pieces: [NormalizedText]) -> [NormalizedText] {
        let ps: [NormalizedText] = pieces.map { p in
            var q = p
            q.mapScalars { $0 == " " ? [replacement] : [$0] }
            let startsWithRep = q.scalars.first == replacement
            switch prependScheme {
            case .always: if !startsWithRep { q.prepend([replacement]) }
            case .first: if !startsWithRep, q.originalRange(0..<0).0 == 0 { q.prepend([replacement]) }
            case .never: break
            }
            return q
        }
        guard split else { return ps }
        return splitEach(ps) { p in
            var ms = [Range<Int>]()
            for (i, s) in p.scalars.enumerated() where s == replacement { ms.append(i..<(i + 1)) }
            return SplitBehavior.mergedWithNext.split(count: p.count, matches: ms)
        }
    }
}

/// Applies pre-tokenizers in order.
public struct SequencePreTokenizer: PreTokenizer {
    public let steps: [any PreTokenizer]
    public func preTokenize(_ pieces: [NormalizedText]) -> [NormalizedText] {
        steps.reduce(pieces) { $1.preTokenize($0) }
    }
}

/// Builds pre-tokenizers from their JSON `"type"`.
enum PreTokenizerFactory {
    static func make(_ node: JSONNode) throws -> any PreTokenizer {
        let type = try node.typeName()
        switch type {
        case "ByteLevel":
            return ByteLevelPreTokenizer(addPrefixSpace: try node.bool("add_prefix_space", default: true),
                                         useRegex: try node.bool("use_regex", default: true))
        case "Split":
            return SplitPreTokenizer(pattern: try SplitPattern.parse(try node.required("pattern")),
                                     behavior: try behavior(node, default: .isolated),
                                     invert: try node.bool("invert", default: false))
        case "Metaspace":
            return try metaspace(node)
        case "Digits":
            let individual = try node.bool("individual_digits", default: false)
            return CharSplitPreTokenizer(kind: .digits, behavior: individual ? .isolated : .contiguous)
        case "Punctuation":
            return CharSplitPreTokenizer(kind: .punctuation, behavior: try behavior(node, default: .isolated))
        case "WhitespaceSplit":
            return CharSplitPreTokenizer(kind: .whitespace, behavior: .removed)
        case "Whitespace":
            return WhitespacePreTokenizer()
        case "Sequence":
            return SequencePreTokenizer(steps: try node.required("pretokenizers").asArray().map(make))
        default:
            throw AlignTokenizersError.unknownType(path: node.childPath("type"), type: type)
        }
    }

    static func behavior(_ node: JSONNode, default d: SplitBehavior) throws -> SplitBehavior {
        guard let b = try node.optional("behavior") else { return d }
        let s = try b.asString()
        guard let v = SplitBehavior(rawValue: s) else {
            throw AlignTokenizersError.invalidValue(path: b.path, expected: "one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous (got \(s))")
        }
        return v
    }

    static func metaspace(_ node: JSONNode) throws -> MetaspacePreTokenizer {
        let rep = try node.string("replacement", default: "▁")
        guard let r = rep.unicodeScalars.first, rep.unicodeScalars.count == 1 else {
            throw AlignTokenizersError.invalidValue(path: node.childPath("replacement"), expected: "a single character")
        }
        var scheme = MetaspacePreTokenizer.PrependScheme.always
        if let s = try node.optional("prepend_scheme") {
            guard let v = MetaspacePreTokenizer.PrependScheme(rawValue: try s.asString()) else {
                throw AlignTokenizersError.invalidValue(path: s.path, expected: "always, first or never")
            }
            scheme = v
        } else if let add = try node.optional("add_prefix_space") {
            scheme = try add.asBool() ? .always : .never
        }
        return MetaspacePreTokenizer(replacement: r, prependScheme: scheme, split: try node.bool("split", default: true))
    }
}
