// JSONNumber: an exact decimal value of a JSON number lexeme (sign, significant digits, power of ten),
// so bounds and enum comparisons never suffer binary floating-point rounding (JSON Schema compares
// numbers by mathematical value; 1 == 1.0 == 10e-1).

/// An exact decimal: value = (negative ? -1 : 1) × digits × 10^exponent.
public struct JSONNumber: Equatable, Comparable, Sendable {
    /// Significant digits, no leading or trailing zeros (empty for zero).
    public private(set) var digits: [UInt8]
    /// Power of ten applied to `digits`.
    public private(set) var exponent: Int
    public private(set) var negative: Bool

    /// Parses a JSON number lexeme; nil if it is not one (or its exponent is absurd).
    public init?(_ lexeme: String) {
        var s = Substring(lexeme)
        negative = s.hasPrefix("-")
        if negative { s = s.dropFirst() }
        var exp = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let v = Int(String(s[s.index(after: e)...].filter { $0 != "+" })), abs(v) < 1_000_000 else { return nil }
            exp = v
            s = s[..<e]
        }
        var ds: [UInt8] = []
        var seenDot = false
        for c in s {
            if c == "." { if seenDot { return nil }; seenDot = true; continue }
            guard let d = c.wholeNumberValue, c.isASCII else { return nil }
            ds.append(UInt8(d))
            if seenDot { exp -= 1 }
        }
        if ds.isEmpty { return nil }
        while let f = ds.first, f == 0 { ds.removeFirst() }
        while let l = ds.last, l == 0 { ds.removeLast(); exp += 1 }
        digits = ds
        exponent = ds.isEmpty ? 0 : exp
        if ds.isEmpty { negative = false }
    }

    /// An integer value.
    public init(_ v: Int64) {
        // Int64.min has no positive counterpart; its magnitude is formed digit by digit.
        self.init(v < 0 ? "-" + String(v.magnitude) : String(v))!
    }

    public var isZero: Bool { digits.isEmpty }
    /// Whether the value is a whole number.
    public var isInteger: Bool { exponent >= 0 }

    /// Compares magnitudes.
    private static func magnitudeLess(_ a: JSONNumber, _ b: JSONNumber) -> Bool {
        if a.isZero || b.isZero { return a.isZero && !b.isZero }
        let ma = a.digits.count + a.exponent, mb = b.digits.count + b.exponent   // order of magnitude
        if ma != mb { return ma < mb }
        for k in 0..<max(a.digits.count, b.digits.count) {
            let x = k < a.digits.count ? a.digits[k] : 0, y = k < b.digits.count ? b.digits[k] : 0
            if x != y { return x < y }
        }
        return false
    }

    public static func < (a: JSONNumber, b: JSONNumber) -> Bool {
        if a.negative != b.negative { return a.negative }
        return a.negative ? magnitudeLess(b, a) : magnitudeLess(a, b)
    }

    /// The value as Int64 if it is an integer in range.
    public var int64: Int64? {
        guard isInteger, digits.count + exponent <= 18 else { return isZero ? 0 : nil }
        var v: Int64 = 0
        for d in digits { v = v * 10 + Int64(d) }
        for _ in 0..<exponent { v *= 10 }
        return negative ? -v : v
    }

    /// The greatest integer ≤ value, clamped to ±10^18 (bounds beyond that are treated as absent by callers).
    public var floor: Int64? {
        if let v = int64 { return v }
        if isInteger { return nil }
        let intDigits = digits.count + exponent
        if intDigits > 18 { return nil }
        var v: Int64 = 0
        if intDigits > 0 { for d in digits.prefix(intDigits) { v = v * 10 + Int64(d) } }
        return negative ? -v - 1 : v
    }

    /// The least integer ≥ value.
    public var ceil: Int64? {
        guard let f = floor else { return nil }
        return isInteger ? f : f + 1
    }
}
