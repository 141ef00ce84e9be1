// LarkRegex: Lark lexeme literals → byte regexes. Lark regexes are Rust `regex` syntax in llguidance
// (docs/syntax.md "Unsupported Lark features"); we read them with the ECMA-subset RegexParser after one
// source rewrite that makes `.` mean Rust's "anything but \n" (ECMA's `.` also excludes \r, U+2028/9),
// or anything with the `s` flag. The `i` flag (and `"…"i` strings) add each letter's simple case-folding
// orbit (Rust regex: Unicode simple case folding, so `k` also matches U+212A KELVIN SIGN), for letters
// below U+1E944. Known differences from Rust: `\d \w \s` are ASCII/ECMA classes (Rust's are Unicode),
// and flags m, x, l as well as `i` with negated classes are rejected rather than approximated.

enum LarkRegex {
    /// The byte language of regex `body` with Lark `flags`.
    static func regex(_ body: String, flags: String, at place: LarkPlace) throws -> ByteRegex {
        func fail(_ m: String) -> AlignGrammarError {
            .grammarSyntax(line: place.line, column: place.column, message: "regex /\(body)/\(flags): \(m)")
        }
        for f in flags where !"isu".contains(f) { throw fail("unsupported Lark construct: regex flag '\(f)'") }
        let fold = flags.contains("i")
        if fold && (body.contains("[^") || body.contains("\\D") || body.contains("\\W") || body.contains("\\S")) {
            throw fail("unsupported Lark construct: flag 'i' with a negated class")
        }
        let source = rewriteDots(body, dotAll: flags.contains("s"))
        do {
            return try lower(try RegexParser.parse(source), fold: fold)
        } catch let e as AlignGrammarError {
            if case .tooLarge = e { throw e }
            throw fail("\(e)")
        }
    }

    /// The exact text, or its case-insensitive version.
    static func literal(_ s: String, caseInsensitive: Bool) -> ByteRegex {
        if !caseInsensitive { return .literal(s) }
        return .seq(s.unicodeScalars.map { UTF8Ranges.regex(CaseFold.orbit($0.value).map { $0...$0 }) })
    }

    /// Replaces each `.` outside a class (and not escaped) by an explicit class.
    static func rewriteDots(_ body: String, dotAll: Bool) -> String {
        var out = "", inClass = false, escaped = false
        for c in body.unicodeScalars {
            if escaped { out.unicodeScalars.append(c); escaped = false; continue }
            switch c {
            case "\\": escaped = true; out.unicodeScalars.append(c)
            case "[": inClass = true; out.unicodeScalars.append(c)
            case "]": inClass = false; out.unicodeScalars.append(c)
            case "." where !inClass: out += dotAll ? #"[\s\S]"# : #"[^\n]"#
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func lower(_ n: RegexNode, fold: Bool) throws -> ByteRegex {
        switch n {
        case .empty: return .empty
        case .chars(let rs): return UTF8Ranges.regex(fold ? CaseFold.close(rs) : rs)
        case .seq(let items): return .seq(try items.map { try lower($0, fold: fold) })
        case .alt(let items): return .alt(try items.map { try lower($0, fold: fold) })
        case let .repeat(inner, lo, hi): return .repeat(try lower(inner, fold: fold), min: lo, max: hi)
        case .startAnchor, .endAnchor:
            throw AlignGrammarError.regexUnsupported(pattern: "", feature: "anchors (^, $) in a Lark lexeme")
        }
    }
}

/// Simple case-folding orbits (scalars equal under Unicode simple case folding), computed once.
enum CaseFold {
    private static let limit: UInt32 = 0x1E944
    static let orbits: [UInt32: [UInt32]] = {
        var byKey: [UInt32: [UInt32]] = [:]
        for v in 0..<limit {
            guard let s = Unicode.Scalar(v), s.properties.changesWhenCaseMapped || s.properties.isLowercase else { continue }
            guard let k = key(s) else { continue }
            byKey[k, default: []].append(v)
        }
        var out: [UInt32: [UInt32]] = [:]
        for (_, members) in byKey where members.count > 1 { for m in members { out[m] = members } }
        return out
    }()

    private static func single(_ s: String) -> Unicode.Scalar? {
        let u = s.unicodeScalars
        return u.count == 1 ? u.first : nil
    }

    private static func key(_ s: Unicode.Scalar) -> UInt32? {
        guard let up = single(s.properties.uppercaseMapping) ?? Optional(s),
              let low = single(up.properties.lowercaseMapping) else { return nil }
        return low.value
    }

    /// The scalars `c` matches case-insensitively (itself included).
    static func orbit(_ c: UInt32) -> [UInt32] { orbits[c] ?? [c] }

    /// `rs` closed under case folding.
    static func close(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var extra: [ClosedRange<UInt32>] = []
        for r in rs where r.lowerBound < limit {
            for v in r.lowerBound...min(r.upperBound, limit - 1) {
                if let o = orbits[v] { extra += o.map { $0...$0 } }
            }
        }
        return ScalarSet.normalize(rs + extra)
    }
}
