// SplitPattern: the `pattern` of Split pre-tokenizers and Replace normalizers/decoders — `{"String": s}` or
// `{"Regex": r}` — and the five split behaviours of tokenizers' `SplitDelimiterBehavior`
// (tokenizers/src/tokenizer/normalizer.rs, v0.23.3). The well-known byte-level regexes (GPT-2, Llama 3, Qwen2)
// run on a hand-written matcher (KnownRegex); any other regex runs on Foundation's NSRegularExpression (ICU).
import Foundation

/// A literal or regular-expression pattern over Unicode scalars.
public enum SplitPattern: @unchecked Sendable {
    case literal([Unicode.Scalar])
    case known(KnownRegex)
    case regex(NSRegularExpression)

    /// Parses `{"String": …}` or `{"Regex": …}`.
    static func parse(_ node: JSONNode) throws -> SplitPattern {
        if let s = try node.optional("String") { return .literal(Array(try s.asString().unicodeScalars)) }
        if let r = try node.optional("Regex") { return try compile(try r.asString(), path: r.path) }
        throw AlignTokenizersError.invalidValue(path: node.path, expected: "an object with key \"String\" or \"Regex\"")
    }

    /// Compiles a regex, preferring the hand-written matcher when the pattern is one it knows.
    static func compile(_ pattern: String, path: String) throws -> SplitPattern {
        if let k = KnownRegex(pattern: pattern) { return .known(k) }
        do {
            return .regex(try NSRegularExpression(pattern: pattern, options: []))
        } catch {
            throw AlignTokenizersError.invalidPattern(path: path, pattern: pattern, reason: "\(error)")
        }
    }

    /// All non-overlapping matches, left to right, as scalar index ranges.
    public func matches(in s: [Unicode.Scalar]) -> [Range<Int>] {
        switch self {
        case .literal(let lit): return Self.literalMatches(lit, in: s)
        case .known(let k): return k.matches(in: s)
        case .regex(let re): return Self.regexMatches(re, in: s)
        }
    }

    private static func literalMatches(_ lit: [Unicode.Scalar], in s: [Unicode.Scalar]) -> [Range<Int>] {
        guard !lit.isEmpty, s.count >= lit.count else { return [] }
        var out = [Range<Int>](), i = 0
        while i + lit.count <= s.count {
            if s[i] == lit[0] && s[i..<(i + lit.count)].elementsEqual(lit) {
                out.append(i..<(i + lit.count)); i += lit.count
            } else { i += 1 }
        }
        return out
    }

    private static func regexMatches(_ re: NSRegularExpression, in s: [Unicode.Scalar]) -> [Range<Int>] {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s)
        let str = String(view)
        // UTF-16 offset → scalar index.
        var utf16ToScalar = [Int](repeating: 0, count: str.utf16.count + 1)
        var u = 0
        for (k, sc) in s.enumerated() {
            let w = sc.value > 0xFFFF ? 2 : 1
            for d in 0..<w { utf16ToScalar[u + d] = k }
            u += w
        }
        utf16ToScalar[u] = s.count
        let ns = NSRange(location: 0, length: u)
        return re.matches(in: str, options: [], range: ns).compactMap { m in
            guard m.range.length > 0 else { return nil }
            return utf16ToScalar[m.range.location]..<utf16ToScalar[m.range.location + m.range.length]
        }
    }
}

/// How matched delimiters are kept when splitting (tokenizers' `SplitDelimiterBehavior`).
public enum SplitBehavior: String, Sendable {
    case removed = "Removed", isolated = "Isolated", mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext", contiguous = "Contiguous"

    /// Splits `0..<count` given the matches; empty pieces are dropped.
    func split(count: Int, matches: [Range<Int>], invert: Bool = false) -> [Range<Int>] {
        // Alternate gaps and matches covering the whole range, like tokenizers' find_matches.
        var parts = [(Range<Int>, Bool)]()
        var pos = 0
        for m in matches {
            if m.lowerBound > pos { parts.append((pos..<m.lowerBound, false)) }
            parts.append((m, true)); pos = m.upperBound
        }
        if pos < count || parts.isEmpty { parts.append((pos..<count, false)) }
        if invert { parts = parts.map { ($0.0, !$0.1) } }
        var out = [Range<Int>]()
        switch self {
        case .removed: out = parts.filter { !$0.1 }.map { $0.0 }
        case .isolated: out = parts.map { $0.0 }
        case .mergedWithPrevious:
            var prev = false
            for (r, m) in parts {
                if m && !prev, let last = out.last { out[out.count - 1] = last.lowerBound..<r.upperBound } else { out.append(r) }
                prev = m
            }
        case .mergedWithNext:
            var prev = false
            for (r, m) in parts.reversed() {
                if m && !prev, let last = out.last { out[out.count - 1] = r.lowerBound..<last.upperBound } else { out.append(r) }
                prev = m
            }
            out.reverse()
        case .contiguous:
            var prev = false
            for (r, m) in parts {
                if m == prev, let last = out.last { out[out.count - 1] = last.lowerBound..<r.upperBound } else { out.append(r) }
                prev = m
            }
        }
        return out.filter { !$0.isEmpty }
    }
}
