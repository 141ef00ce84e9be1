// KnownRegex: hand-written matchers for the split regexes byte-level tokenizers ship, equivalent to running
// them with Oniguruma (which tokenizers uses) but an order of magnitude faster than a general regex engine:
//   GPT-2 (tokenizers' ByteLevel):  's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//   Llama 3:  (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//   Qwen2:    the Llama 3 regex with \p{N} instead of \p{N}{1,3}.
// Alternatives are tried in order at each position (leftmost-first), as in the regex.

/// One of the known split regexes.
public enum KnownRegex: Sendable, Equatable {
    case gpt2
    /// The Llama 3 family; `maxDigits` is 3 for Llama 3 and 1 for Qwen2.
    case llama3(maxDigits: Int)

    public static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    public static let llama3Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    public static let qwen2Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    init?(pattern: String) {
        switch pattern {
        case Self.gpt2Pattern: self = .gpt2
        case Self.llama3Pattern: self = .llama3(maxDigits: 3)
        case Self.qwen2Pattern: self = .llama3(maxDigits: 1)
        default: return nil
        }
    }

    /// All matches; they tile the input (every scalar belongs to exactly one match).
    public func matches(in s: [Unicode.Scalar]) -> [Range<Int>] {
        var out = [Range<Int>]()
        out.reserveCapacity(s.count / 3 + 1)
        s.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                let end = matchEnd(p, i)
                out.append(i..<end)
                i = end
            }
        }
        return out
    }

    typealias Buf = UnsafeBufferPointer<Unicode.Scalar>

    /// End of the match starting at `i` (matches tile the input, so the next one starts there).
    @inline(__always) func matchEnd(_ p: Buf, _ i: Int) -> Int {
        switch self {
        case .gpt2: return Self.matchGPT2(p, i)
        case .llama3(let d): return Self.matchLlama3(p, i, maxDigits: d)
        }
    }

    @inline(__always) static func cls(_ p: Buf, _ i: Int) -> CharClass { CharClass.of(p[i]) }
    @inline(__always) static func isOther(_ c: CharClass) -> Bool { c.isDisjoint(with: [.letter, .number, .space]) }
    @inline(__always) static func isNewline(_ s: Unicode.Scalar) -> Bool { s == "\n" || s == "\r" }

    /// Length of a contraction at i ('s 't 're 've 'm 'll 'd), or 0.
    static func contraction(_ p: Buf, _ i: Int, caseInsensitive: Bool) -> Int {
        guard p[i] == "'", i + 1 < p.count else { return 0 }
        func low(_ s: Unicode.Scalar) -> UInt32 {
            guard caseInsensitive else { return s.value }
            if s.value == 0x17F { return 0x73 }  // ſ folds to s under Unicode case-insensitivity
            return (0x41...0x5A).contains(s.value) ? s.value + 32 : s.value
        }
        let a = low(p[i + 1])
        if a == 0x73 || a == 0x74 || a == 0x6D || a == 0x64 { return 2 }  // s t m d
        guard i + 2 < p.count else { return 0 }
        let b = low(p[i + 2])
        if (a == 0x72 && b == 0x65) || (a == 0x76 && b == 0x65) || (a == 0x6C && b == 0x6C) { return 3 }  // re ve ll
        return 0
    }

    @inline(__always) static func run(_ p: Buf, from i: Int, while pred: (CharClass) -> Bool) -> Int {
        var j = i
        while j < p.count, pred(cls(p, j)) { j += 1 }
        return j
    }

    /// `\s+(?!\S)|\s+` at a whitespace position.
    static func whitespace(_ p: Buf, _ i: Int) -> Int {
        let k = run(p, from: i) { $0.contains(.space) }
        if k == p.count || k - 1 == i { return k }
        return k - 1
    }

    static func matchGPT2(_ p: Buf, _ i: Int) -> Int {
        let c = contraction(p, i, caseInsensitive: false)
        if c > 0 { return i + c }
        let j = (p[i] == " " && i + 1 < p.count) ? i + 1 : i
        let cj = cls(p, j)
        if cj.contains(.letter) { return run(p, from: j + 1) { $0.contains(.letter) } }
        if cj.contains(.number) { return run(p, from: j + 1) { $0.contains(.number) } }
        if isOther(cj) { return run(p, from: j + 1, while: isOther) }
        return whitespace(p, i)
    }

    static func matchLlama3(_ p: Buf, _ i: Int, maxDigits: Int) -> Int {
        let c = contraction(p, i, caseInsensitive: true)
        if c > 0 { return i + c }
        let ci = cls(p, i)
        if ci.contains(.letter) { return run(p, from: i + 1) { $0.contains(.letter) } }
        if !ci.contains(.number) && !isNewline(p[i]) && i + 1 < p.count && cls(p, i + 1).contains(.letter) {
            return run(p, from: i + 2) { $0.contains(.letter) }
        }
        if ci.contains(.number) {
            var j = i + 1
            while j < p.count, j - i < maxDigits, cls(p, j).contains(.number) { j += 1 }
            return j
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        let j = (p[i] == " " && i + 1 < p.count) ? i + 1 : i
        if isOther(cls(p, j)) {
            var k = run(p, from: j + 1, while: isOther)
            while k < p.count, isNewline(p[k]) { k += 1 }
            return k
        }
        // `\s*[\r\n]+`: up to the last newline of the whitespace run.
        let k = run(p, from: i) { $0.contains(.space) }
        var m = k - 1
        while m >= i, !isNewline(p[m]) { m -= 1 }
        if m >= i { return m + 1 }
        return whitespace(p, i)
    }
}
