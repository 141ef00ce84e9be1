// RegexLowering: turns a RegexNode (scalars) into a ByteRegex (bytes) under a ScalarEncoding, with
// JSON Schema's search semantics: a pattern matches if it matches anywhere, so an unanchored side gets
// "any scalars" added (ECMA-262 RegExp.prototype.test; JSON Schema 2020-12 validation §6.3.3).
// Anchors are supported at the start/end of each top-level alternative only.

/// How scalar values are written as bytes.
public enum ScalarEncoding: Sendable {
    /// Plain UTF-8.
    case utf8
    /// The canonical form inside a JSON string (JSON.stringify / Python json.dumps(ensure_ascii=False)):
    /// `"` → `\"`, `\` → `\\`, U+0008/9/A/C/D → `\b \t \n \f \r`, other controls → `\u00xx`
    /// (lowercase hex), everything else raw UTF-8. One encoding per scalar, so sets stay exact.
    case jsonString

    /// A byte regex matching one scalar from `ranges` under this encoding.
    public func encode(_ ranges: [ClosedRange<UInt32>]) -> ByteRegex {
        switch self {
        case .utf8: return UTF8Ranges.regex(ranges)
        case .jsonString: return ScalarEncoding.jsonEncode(ranges)
        }
    }

    private static func jsonEncode(_ ranges: [ClosedRange<UInt32>]) -> ByteRegex {
        var raw: [ClosedRange<UInt32>] = []
        var escaped: [ByteRegex] = []
        let hex = Array("0123456789abcdef".utf8)
        for r in ranges {
            var lo = r.lowerBound
            while lo <= r.upperBound {
                if lo < 0x20 || lo == 0x22 || lo == 0x5C {
                    escaped.append(.literal(escape(lo, hex)))
                    lo += 1
                    continue
                }
                // Raw run up to the next special scalar.
                var hi = r.upperBound
                if lo < 0x22 { hi = min(hi, 0x21) } else if lo < 0x5C { hi = min(hi, 0x5B) }
                raw.append(lo...hi)
                if hi == UInt32.max { break }
                lo = hi + 1
            }
        }
        var alts = escaped
        if !raw.isEmpty { alts.insert(UTF8Ranges.regex(raw), at: 0) }
        return alts.isEmpty ? .nothing : (alts.count == 1 ? alts[0] : .alt(alts))
    }

    private static func escape(_ c: UInt32, _ hex: [UInt8]) -> [UInt8] {
        switch c {
        case 0x22: return Array(#"\""#.utf8)
        case 0x5C: return Array(#"\\"#.utf8)
        case 0x08: return Array(#"\b"#.utf8)
        case 0x09: return Array(#"\t"#.utf8)
        case 0x0A: return Array(#"\n"#.utf8)
        case 0x0C: return Array(#"\f"#.utf8)
        case 0x0D: return Array(#"\r"#.utf8)
        default: return Array(#"\u00"#.utf8) + [hex[Int(c >> 4)], hex[Int(c & 15)]]
        }
    }
}

/// Lowers regexes to byte regexes.
public enum RegexLowering {
    /// The byte language of strings that `pattern` matches somewhere (search semantics).
    public static func searchLanguage(_ pattern: String, encoding: ScalarEncoding) throws -> ByteRegex {
        let node = try RegexParser.parse(pattern)
        let anyScalars = ByteRegex.star(encoding.encode(ScalarSet.any))
        var branches: [ByteRegex] = []
        for b in topBranches(node) {
            var items = b
            var anchoredStart = false, anchoredEnd = false
            while case .startAnchor? = items.first { items.removeFirst(); anchoredStart = true }
            while case .endAnchor? = items.last { items.removeLast(); anchoredEnd = true }
            var parts = try items.map { try lower($0, encoding, pattern) }
            if !anchoredStart { parts.insert(anyScalars, at: 0) }
            if !anchoredEnd { parts.append(anyScalars) }
            branches.append(.seq(parts))
        }
        return branches.count == 1 ? branches[0] : .alt(branches)
    }

    /// The byte language of strings that `pattern` matches entirely (`^`/`$` at the ends are allowed
    /// and redundant) — the semantics of a regex used as a whole-output constraint (xgrammar's compile_regex).
    public static func fullLanguage(_ pattern: String, encoding: ScalarEncoding) throws -> ByteRegex {
        let node = try RegexParser.parse(pattern)
        var branches: [ByteRegex] = []
        for b in topBranches(node) {
            var items = b
            while case .startAnchor? = items.first { items.removeFirst() }
            while case .endAnchor? = items.last { items.removeLast() }
            branches.append(.seq(try items.map { try lower($0, encoding, pattern) }))
        }
        return branches.count == 1 ? branches[0] : .alt(branches)
    }

    private static func topBranches(_ n: RegexNode) -> [[RegexNode]] {
        switch n {
        case .alt(let bs): return bs.flatMap { topBranches($0) }
        case .seq(let items):
            if items.count == 1 { return topBranches(items[0]) }
            return [items]
        default: return [[n]]
        }
    }

    private static func lower(_ n: RegexNode, _ e: ScalarEncoding, _ p: String) throws -> ByteRegex {
        switch n {
        case .empty: return .empty
        case .chars(let rs): return e.encode(rs)
        case .seq(let items): return .seq(try items.map { try lower($0, e, p) })
        case .alt(let items): return .alt(try items.map { try lower($0, e, p) })
        case let .repeat(inner, lo, hi): return .repeat(try lower(inner, e, p), min: lo, max: hi)
        case .startAnchor, .endAnchor:
            throw AlignGrammarError.regexUnsupported(pattern: p, feature: "anchor inside the pattern")
        }
    }
}
