// PostProcessors: the `post_processor` stage of tokenizer.json (tokenizers/src/processors/*.rs, v0.23.3):
// ByteLevel (trims the whitespace a token starts/ends with out of its offsets when `trim_offsets`),
// TemplateProcessing (adds special tokens around the sequence; they get offsets (0, 0)) and Sequence.
// Pairs of sequences are not supported yet (single sequences only).

/// One post-processing step over a single-sequence encoding.
public protocol PostProcessor: Sendable {
    func process(_ e: inout Encoding, addSpecialTokens: Bool)
}

/// ByteLevel offsets trimming.
public struct ByteLevelPostProcessor: PostProcessor {
    public let trimOffsets: Bool
    public let addPrefixSpace: Bool

    public func process(_ e: inout Encoding, addSpecialTokens: Bool) {
        guard trimOffsets else { return }
        let space = ByteLevelMap.byteToScalar[0x20]
        for i in e.ids.indices {
            let scalars = Array(e.tokens[i].unicodeScalars)
            func isWS(_ s: Unicode.Scalar) -> Bool { s == space || s.isSpaceClass }
            var lead = scalars.prefix(while: isWS).count
            let trail = scalars.reversed().prefix(while: isWS).count
            var (s, t) = e.offsets[i]
            if lead > 0 {
                if (i == 0 || s == 0) && addPrefixSpace && lead == 1 { lead = 0 }
                s = min(s + lead, t)
            }
            if trail > 0 && t >= trail { t = max(t - trail, s) }
            e.offsets[i] = (s, t)
        }
    }
}

/// Adds special tokens per the `single` template.
public struct TemplatePostProcessor: PostProcessor {
    public enum Piece: Sendable { case sequence, special(ids: [Int], tokens: [String]) }
    public let single: [Piece]

    public func process(_ e: inout Encoding, addSpecialTokens: Bool) {
        guard addSpecialTokens else { return }
        var out = Encoding()
        for p in single {
            switch p {
            case .sequence: out.append(contentsOf: e)
            case .special(let ids, let toks):
                for (id, t) in zip(ids, toks) { out.append(id: id, token: t, offset: (0, 0), special: true) }
            }
        }
        e = out
    }
}

/// Applies post-processors in order.
public struct SequencePostProcessor: PostProcessor {
    public let steps: [any PostProcessor]
    public func process(_ e: inout Encoding, addSpecialTokens: Bool) {
        for s in steps { s.process(&e, addSpecialTokens: addSpecialTokens) }
    }
}

/// Builds post-processors from their JSON `"type"`.
enum PostProcessorFactory {
    static func make(_ node: JSONNode) throws -> any PostProcessor {
        let type = try node.typeName()
        switch type {
        case "ByteLevel":
            return ByteLevelPostProcessor(trimOffsets: try node.bool("trim_offsets", default: true),
                                          addPrefixSpace: try node.bool("add_prefix_space", default: true))
        case "TemplateProcessing":
            return try template(node)
        case "Sequence":
            return SequencePostProcessor(steps: try node.required("processors").asArray().map(make))
        default:
            throw AlignTokenizersError.unknownType(path: node.childPath("type"), type: type)
        }
    }

    static func template(_ node: JSONNode) throws -> TemplatePostProcessor {
        let specials = try node.optional("special_tokens")
        var pieces = [TemplatePostProcessor.Piece]()
        for item in try node.required("single").asArray() {
            if try item.optional("Sequence") != nil { pieces.append(.sequence); continue }
            let st = try item.required("SpecialToken")
            let name = try st.string("id")
            guard let entry = try specials?.optional(name) else {
                throw AlignTokenizersError.missingKey(path: node.childPath("special_tokens.\(name)"))
            }
            let ids = try entry.required("ids").asArray().map { try $0.asInt() }
            let toks = try entry.required("tokens").asArray().map { try $0.asString() }
            guard ids.count == toks.count else {
                throw AlignTokenizersError.invalidValue(path: entry.path, expected: "as many ids as tokens")
            }
            pieces.append(.special(ids: ids, tokens: toks))
        }
        return TemplatePostProcessor(single: pieces)
    }
}
