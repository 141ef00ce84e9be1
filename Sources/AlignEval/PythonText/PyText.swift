// PyText: Python `str` methods on arrays of Unicode scalars — the string model of the IFEval reference scorer.
//
// A response is held as `[Unicode.Scalar]` so that lengths, indices, `v[0]`/`v[-1]`, `Counter` and equality are
// per code point exactly as in CPython (Swift `String` compares by canonical equivalence, Python does not).
// Mirrors CPython 3.11 Objects/unicodeobject.c: `strip`, `split`, `lower` (full case mapping with the
// final-sigma rule), `isupper`/`islower`, `startswith`/`endswith`, `replace`, `in`.

/// A Python `str`: a sequence of code points.
public typealias PyText = [Unicode.Scalar]

extension Array where Element == Unicode.Scalar {
    /// The code points of a Swift string.
    @inlinable public init(py s: String) { self = Array(s.unicodeScalars) }

    /// Back to a Swift `String` (for printing and JSON).
    public var string: String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: self)
        return String(v)
    }

    /// `str.strip()`: drops Python whitespace at both ends.
    public func pyStrip() -> PyText {
        var lo = startIndex, hi = endIndex
        while lo < hi, PyChar.isSpace(self[lo]) { lo += 1 }
        while hi > lo, PyChar.isSpace(self[hi - 1]) { hi -= 1 }
        return Array(self[lo..<hi])
    }

    /// `str.strip(chars)`, `lstrip(chars)`, `rstrip(chars)` with an explicit character set.
    public func pyStrip(_ chars: Set<Unicode.Scalar>, leading: Bool = true, trailing: Bool = true) -> PyText {
        var lo = startIndex, hi = endIndex
        if leading { while lo < hi, chars.contains(self[lo]) { lo += 1 } }
        if trailing { while hi > lo, chars.contains(self[hi - 1]) { hi -= 1 } }
        return Array(self[lo..<hi])
    }

    /// `str.split(sep)` with a non-empty separator (keeps empty pieces).
    public func pySplit(_ sep: PyText) -> [PyText] {
        precondition(!sep.isEmpty, "split separator must be non-empty")
        var pieces: [PyText] = []
        var start = 0, i = 0
        while i + sep.count <= count {
            if self[i] == sep[0], Array(self[i..<(i + sep.count)]) == sep {
                pieces.append(Array(self[start..<i]))
                i += sep.count
                start = i
            } else {
                i += 1
            }
        }
        pieces.append(Array(self[start...]))
        return pieces
    }

    /// `str.split()` with no argument: runs of Python whitespace separate, no empty pieces.
    public func pySplitWhitespace() -> [PyText] {
        var pieces: [PyText] = []
        var current: PyText = []
        for c in self {
            if PyChar.isSpace(c) {
                if !current.isEmpty { pieces.append(current); current = [] }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// `str.replace(old, "")` for one code point.
    public func pyRemoving(_ c: Unicode.Scalar) -> PyText { filter { $0 != c } }

    /// `str.lower()`: full lowercase mapping per code point; capital sigma becomes final sigma at a word's end
    /// (CPython's `handle_capital_sigma`: preceded by a cased letter and not followed by one, skipping
    /// case-ignorable code points).
    public func pyLower() -> PyText {
        var out = PyText()
        out.reserveCapacity(count)
        for (i, c) in enumerated() {
            if c.value < 0x80 {
                out.append(PyChar.simpleLower(c))
            } else if c.value == 0x3A3 {
                out.append(isFinalSigma(at: i) ? "\u{3C2}" : "\u{3C3}")
            } else {
                out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    private func isFinalSigma(at i: Int) -> Bool {
        var j = i - 1
        while j >= 0, self[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, self[j].properties.isCased else { return false }
        var k = i + 1
        while k < count, self[k].properties.isCaseIgnorable { k += 1 }
        return !(k < count && self[k].properties.isCased)
    }

    /// `str.isupper()`: at least one uppercase code point and no lowercase or titlecase one.
    public var pyIsUpper: Bool {
        var cased = false
        for c in self {
            if PyChar.isLower(c) || PyChar.isTitle(c) { return false }
            if !cased, PyChar.isUpper(c) { cased = true }
        }
        return cased
    }

    /// `str.islower()`: at least one lowercase code point and no uppercase or titlecase one.
    public var pyIsLower: Bool {
        var cased = false
        for c in self {
            if PyChar.isUpper(c) || PyChar.isTitle(c) { return false }
            if !cased, PyChar.isLower(c) { cased = true }
        }
        return cased
    }

    /// `str.startswith(prefix)`, per code point.
    public func pyHasPrefix(_ p: PyText) -> Bool { p.count <= count && Array(self[0..<p.count]) == p }

    /// `str.endswith(suffix)`, per code point.
    public func pyHasSuffix(_ p: PyText) -> Bool { p.count <= count && Array(self[(count - p.count)...]) == p }

    /// `sub in str`: the index of the first occurrence at or after `from`, or nil.
    public func pyFind(_ sub: PyText, from: Int = 0) -> Int? {
        if sub.isEmpty { return from <= count ? from : nil }
        var i = from
        let first = sub[0]
        while i + sub.count <= count {
            if self[i] == first {
                var j = 1
                while j < sub.count, self[i + j] == sub[j] { j += 1 }
                if j == sub.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// `"\n".join(lines)`.
    public static func pyJoinLines(_ lines: ArraySlice<PyText>) -> PyText {
        var out = PyText()
        for (n, line) in lines.enumerated() {
            if n > 0 { out.append("\n") }
            out.append(contentsOf: line)
        }
        return out
    }
}
