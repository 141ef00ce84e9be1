// NumberLanguage: byte regexes / DFAs for JSON numbers under bounds and multipleOf. Integer ranges
// are exact digit-range expressions (the construction of to-regex-range / "regex for numeric
// ranges": split by length, then by leading digit). Numbers with bounds use integer bounds on the
// integer part and forbid exponents; a non-integer bound is rounded inward (sound, may over-constrain).

enum NumberLanguage {
    static let digit = ByteRegex.bytes(ByteSet(0x30...0x39))
    static func digitRange(_ a: UInt8, _ b: UInt8) -> ByteRegex { .bytes(ByteSet((0x30 + a)...(0x30 + b))) }

    /// Digit strings of equal length between x and y (leading zeros allowed inside).
    private static func sameLength(_ x: [UInt8], _ y: [UInt8]) -> ByteRegex {
        if x.count == 1 { return digitRange(x[0], y[0]) }
        // 0…0 to 9…9 is any n digits; without this shortcut both sides recurse at every digit and the
        // expression doubles per digit (2^17 branches for an 18-digit bound).
        if x.allSatisfy({ $0 == 0 }) && y.allSatisfy({ $0 == 9 }) { return .repeat(digit, min: x.count, max: x.count) }
        let xs = Array(x.dropFirst()), ys = Array(y.dropFirst())
        if x[0] == y[0] { return .seq([digitRange(x[0], x[0]), sameLength(xs, ys)]) }
        let nines = [UInt8](repeating: 9, count: xs.count), zeros = [UInt8](repeating: 0, count: xs.count)
        var alts: [ByteRegex] = [.seq([digitRange(x[0], x[0]), sameLength(xs, nines)])]
        if y[0] > x[0] + 1 {
            alts.append(.seq([digitRange(x[0] + 1, y[0] - 1), .repeat(digit, min: xs.count, max: xs.count)]))
        }
        alts.append(.seq([digitRange(y[0], y[0]), sameLength(zeros, ys)]))
        return .alt(alts)
    }

    private static func digitsOf(_ v: UInt64) -> [UInt8] { String(v).utf8.map { $0 - 0x30 } }

    /// Canonical decimal integers (no leading zeros, no sign) in `lo...hi` (hi nil = unbounded).
    static func unsigned(_ lo: UInt64, _ hi: UInt64?) -> ByteRegex {
        if let hi, hi < lo { return .nothing }
        var alts: [ByteRegex] = []
        let lenLo = digitsOf(lo).count
        let lenHi = hi.map { digitsOf($0).count } ?? lenLo
        for len in lenLo...lenHi {
            let first: UInt64 = len == 1 ? 0 : pow10(len - 1)
            let last: UInt64 = len >= 20 ? UInt64.max : pow10(len) - 1
            let a = max(lo, first), b = min(hi ?? last, last)
            if a > b { continue }
            alts.append(sameLength(digitsOf(a), digitsOf(b)))
        }
        if hi == nil {
            // Every longer length: a nonzero digit then at least lenLo more digits.
            alts.append(.seq([digitRange(1, 9), .repeat(digit, min: lenLo, max: nil)]))
        }
        return alts.count == 1 ? alts[0] : .alt(alts)
    }

    static func pow10(_ n: Int) -> UInt64 { (0..<n).reduce(UInt64(1)) { a, _ in a &* 10 } }

    static let minus = ByteRegex.literal("-")
    static let anyFraction = ByteRegex.opt(.seq([.literal("."), .repeat(digit, min: 1, max: nil)]))
    static let zeroFraction = ByteRegex.opt(.seq([.literal("."), .repeat(.literal("0"), min: 1, max: nil)]))
    static let exponent = ByteRegex.opt(.seq([.bytes(ByteSet(bytes: Array("eE".utf8))),
                                              .opt(.bytes(ByteSet(bytes: Array("+-".utf8)))),
                                              .repeat(digit, min: 1, max: nil)]))

    /// Integers (written `-?(0|[1-9][0-9]*)`, as llguidance and xgrammar generate them) in `lo...hi`.
    static func integer(_ lo: Int64?, _ hi: Int64?) -> ByteRegex {
        var alts: [ByteRegex] = []
        if hi == nil || hi! >= 0 {
            alts.append(unsigned(UInt64(max(lo ?? 0, 0)), hi.map { UInt64($0) }))
        }
        if lo == nil || lo! < 0 {
            // "-0" is 0, valid whenever 0 is in range.
            let m: UInt64 = hi.map { $0 < 0 ? $0.magnitude : 0 } ?? 0
            alts.append(.seq([minus, unsigned(m, lo.map { $0.magnitude })]))
        }
        return .alt(alts)
    }

    /// Numbers x with lo ≤ x ≤ hi for integer bounds (nil = unbounded). Without bounds exponents are allowed.
    static func number(_ lo: Int64?, _ hi: Int64?) -> ByteRegex {
        if lo == nil && hi == nil {
            return .seq([.opt(minus), unsigned(0, nil), anyFraction, exponent])
        }
        var alts: [ByteRegex] = []
        // x = I.F ≥ 0: I ≥ lo; I < hi with any fraction, or I == hi with a zero fraction.
        let a = UInt64(max(lo ?? 0, 0))
        if let hi {
            if hi >= 0 {
                let h = UInt64(hi)
                if h > 0 && a <= h - 1 { alts.append(.seq([unsigned(a, h - 1), anyFraction])) }
                if a <= h { alts.append(.seq([unsigned(h, h), zeroFraction])) }
            }
        } else {
            alts.append(.seq([unsigned(a, nil), anyFraction]))
        }
        // x = -(I.F): I.F ≤ -lo and I.F ≥ -hi (when hi < 0).
        if lo == nil || lo! <= 0 {
            let m: UInt64 = hi.map { $0 < 0 ? $0.magnitude : 0 } ?? 0
            if let lo {
                let l = lo.magnitude
                if l > 0 && m <= l - 1 { alts.append(.seq([minus, unsigned(m, l - 1), anyFraction])) }
                if m <= l { alts.append(.seq([minus, unsigned(l, l), zeroFraction])) }
            } else {
                alts.append(.seq([minus, unsigned(m, nil), anyFraction]))
            }
        }
        return alts.isEmpty ? .nothing : .alt(alts)
    }

    /// Integers that are multiples of `m` (m ≥ 1), built directly as a DFA whose states are
    /// remainders mod m.
    static func multipleOf(_ m: Int) -> DFA {
        // States: 0 dead, 1 start, 2 after '-', 3 "0", 4–5 unused, 6… remainders 0..<m.
        let n = 6 + m
        var t = [Int32](repeating: 0, count: n * 256)
        var acc = [Bool](repeating: false, count: n)
        func set(_ s: Int, _ b: UInt8, _ to: Int) { t[s * 256 + Int(b)] = Int32(to) }
        set(1, 0x2D, 2)
        for s in [1, 2] {
            set(s, 0x30, 3)
            for d in 1...9 { set(s, UInt8(0x30 + d), 6 + d % m) }
        }
        for r in 0..<m { for d in 0...9 { set(6 + r, UInt8(0x30 + d), 6 + (r * 10 + d) % m) } }
        acc[3] = true; acc[6] = true
        return DFA(numStates: n, trans: t, accepting: acc).trimmed()
    }

    /// Decimals with at most `k` fraction digits (multiples of 10^-k), exponents not allowed.
    static func decimalPlaces(_ k: Int) -> ByteRegex {
        .seq([.opt(minus), unsigned(0, nil), .opt(.seq([.literal("."), .repeat(digit, min: 1, max: k)]))])
    }
}
