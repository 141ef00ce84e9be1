// UnicodeNormalization: NFC, NFD, NFKC and NFKD of a NormalizedText with alignments kept, as tokenizers does
// through the `unicode-normalization-alignments` crate: a decomposed scalar aligns to the character it came
// from, a composed scalar to its first (starter) component. Decomposition and composition themselves come from
// Foundation (ICU); the text is processed one segment (a starter and its combining marks) at a time.
import Foundation

/// The four Unicode normalization forms (https://unicode.org/reports/tr15/).
public enum UnicodeNormalForm: String, Sendable {
    case nfc = "NFC", nfd = "NFD", nfkc = "NFKC", nfkd = "NFKD"

    var compatibility: Bool { self == .nfkc || self == .nfkd }
    var composes: Bool { self == .nfc || self == .nfkc }

    /// Scalars below this value are unchanged by the form and never combine with neighbours (fast path).
    var passThroughBelow: UInt32 { composes ? (compatibility ? 0xA0 : 0x300) : (compatibility ? 0xA0 : 0xC0) }
}

extension NormalizedText {
    /// Normalizes in place to `form`.
    mutating func normalize(_ form: UnicodeNormalForm) {
        let limit = form.passThroughBelow
        if scalars.allSatisfy({ $0.value < limit }) { return }
        if form == .nfc && NFCStability.isStable(scalars) { return }
        var out = [(Unicode.Scalar, Int)]()
        out.reserveCapacity(count)
        var i = 0
        while i < count {
            var j = i + 1
            // A segment: one scalar plus following combining marks (and Hangul jamo, which compose with starters).
            while j < count, Self.continuesSegment(scalars[j]) { j += 1 }
            Self.normalizeSegment(scalars, i..<j, form, into: &out)
            i = j
        }
        rebuild(out)
    }

    private static func continuesSegment(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x300 { return false }
        if (0x1160...0x11FF).contains(s.value) { return true }  // Hangul vowel/trailing jamo
        return s.properties.canonicalCombiningClass.rawValue != 0 || CharClass.of(s).contains(.mark)
    }

    private static func decompose(_ s: Unicode.Scalar, compatibility: Bool) -> [Unicode.Scalar] {
        let str = String(s)
        let d = compatibility ? str.decomposedStringWithCompatibilityMapping : str.decomposedStringWithCanonicalMapping
        return Array(d.unicodeScalars)
    }

    /// Normalizes `src[r]` the way the `unicode-normalization-alignments` crate reports it to tokenizers: as a
    /// stream of (scalar, change) — change 0 replaces the next original character, +1 is inserted (aligned like
    /// its predecessor), -n replaces one and removes n more — which `transform` then aligns positionally.
    private static func normalizeSegment(_ src: [Unicode.Scalar], _ r: Range<Int>, _ form: UnicodeNormalForm,
                                         into out: inout [(Unicode.Scalar, Int)]) {
        // Decompose: the first scalar of each decomposition has change 0, the rest +1; reordering moves changes
        // with their scalars.
        var dec = [(Unicode.Scalar, Int)]()
        for k in r {
            for (j, d) in decompose(src[k], compatibility: form.compatibility).enumerated() { dec.append((d, j == 0 ? 0 : 1)) }
        }
        dec = canonicalOrder(dec)
        let stream = form.composes ? compose(dec) : dec
        var next = r.lowerBound, prev = r.lowerBound
        for (c, change) in stream {
            if change <= 0 {
                prev = min(next, r.upperBound - 1)
                next += 1 - change
            }
            out.append((c, prev))
        }
    }

    /// Canonical composition of a decomposed (scalar, change) stream: a composite's change is the sum of its
    /// components' changes minus the number of components it absorbed.
    private static func compose(_ dec: [(Unicode.Scalar, Int)]) -> [(Unicode.Scalar, Int)] {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: dec.map { $0.0 })
        let composed = Array(String(s).precomposedStringWithCanonicalMapping.unicodeScalars)
        if composed.elementsEqual(dec.map({ $0.0 })) { return dec }
        var used = [Bool](repeating: false, count: dec.count)
        func take(_ c: Unicode.Scalar) -> Int? {
            guard let k = dec.indices.first(where: { !used[$0] && dec[$0].0 == c }) else { return nil }
            used[k] = true
            return k
        }
        var res = [(Unicode.Scalar, Int)]()
        for c in composed {
            if let k = take(c) { res.append((c, dec[k].1)); continue }
            let parts = decompose(c, compatibility: false).compactMap(take)
            res.append((c, parts.reduce(0) { $0 + dec[$1].1 } - max(0, parts.count - 1)))
        }
        return res
    }

    /// Canonical ordering: stable sort of each run of non-starters by combining class.
    private static func canonicalOrder<T>(_ dec: [(Unicode.Scalar, T)]) -> [(Unicode.Scalar, T)] {
        var res = dec
        var i = 0
        while i < res.count {
            guard res[i].0.properties.canonicalCombiningClass.rawValue != 0 else { i += 1; continue }
            var j = i
            while j < res.count, res[j].0.properties.canonicalCombiningClass.rawValue != 0 { j += 1 }
            let run = res[i..<j].enumerated().sorted {
                let a = $0.element.0.properties.canonicalCombiningClass.rawValue
                let b = $1.element.0.properties.canonicalCombiningClass.rawValue
                return a != b ? a < b : $0.offset < $1.offset
            }.map { $0.element }
            res.replaceSubrange(i..<j, with: run)
            i = j
        }
        return res
    }
}
