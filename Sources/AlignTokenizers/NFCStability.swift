// NFCStability: which scalars NFC leaves alone whatever surrounds them — starters (combining class 0) that
// have no canonical decomposition (or are their own NFC) and can never be the second half of a composition
// (the Unicode NFC_Quick_Check=Yes starters, https://unicode.org/reports/tr15/#Detecting_Normalization_Forms).
// Text made only of such scalars is already NFC, so NFC tokenizers (Qwen2) can skip normalization for it.
// Swift exposes no quick-check property, so the table is derived once from Foundation's NFC/NFD, conservatively
// treating every mark and the Hangul vowel/trailing jamo as unstable.
import Foundation

enum NFCStability {
    /// One bit per BMP scalar; allocated once and never freed (read concurrently without reference counting).
    static let bits: UnsafePointer<UInt64> = {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        p.initialize(repeating: 0, count: 1024)
        for v in 0..<0x10000 where isStable(UInt32(v)) { p[v >> 6] |= 1 << UInt64(v & 63) }
        return UnsafePointer(p)
    }()

    static func isStable(_ v: UInt32) -> Bool {
        if v < 0x300 { return true }
        if (0x4E00...0x9FFF).contains(v) || (0xAC00...0xD7A3).contains(v) { return true }  // CJK ideographs, Hangul syllables
        if (0x1160...0x11FF).contains(v) { return false }  // Hangul vowel and trailing jamo compose with what precedes
        guard let s = Unicode.Scalar(v) else { return false }
        let p = s.properties
        if p.canonicalCombiningClass.rawValue != 0 { return false }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .unassigned, .surrogate: return false
        default: break
        }
        let str = String(s)
        return str.decomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual([s])
    }

    /// Whether NFC leaves every scalar of `s` unchanged.
    static func isStable<C: Collection>(_ s: C) -> Bool where C.Element == Unicode.Scalar {
        let b = bits
        return s.allSatisfy { sc in
            let v = sc.value
            return v < 0x300 || (v < 0x10000 && b[Int(v >> 6)] & (1 << UInt64(v & 63)) != 0)
        }
    }
}
