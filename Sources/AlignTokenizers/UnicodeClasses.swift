// UnicodeClasses: fast character-class tests used by the split patterns and pre-tokenizers —
// \p{L}, \p{N}, \s (White_Space), punctuation and word characters — from a table built once from the
// Unicode properties Swift ships (general category, White_Space).

/// Bit flags of a scalar's classes.
struct CharClass: OptionSet {
    let rawValue: UInt8
    static let letter = CharClass(rawValue: 1)       // \p{L}
    static let number = CharClass(rawValue: 2)       // \p{N} (Nd, Nl, No)
    static let space = CharClass(rawValue: 4)        // \s: the White_Space property
    static let punctuation = CharClass(rawValue: 8)  // P* categories (+ ASCII punctuation, as Rust's is_punc)
    static let mark = CharClass(rawValue: 16)        // \p{M}
    static let connector = CharClass(rawValue: 32)   // Pc (part of \w)
    static let digit = CharClass(rawValue: 64)       // Nd

    static let tableSize = 0x30000
    /// A table for the first 0x30000 scalars (BMP, SMP, SIP); others are computed on demand. A raw pointer
    /// allocated once and never freed, so concurrent readers do not contend on an array's reference count.
    static let table: UnsafePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: tableSize)
        for v in 0..<tableSize { p[v] = compute(UInt32(v)).rawValue }
        return UnsafePointer(p)
    }()

    static func compute(_ v: UInt32) -> CharClass {
        guard let s = Unicode.Scalar(v) else { return [] }
        var c: CharClass = []
        let p = s.properties
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: c.insert(.letter)
        case .decimalNumber: c.formUnion([.number, .digit])
        case .letterNumber, .otherNumber: c.insert(.number)
        case .connectorPunctuation: c.formUnion([.punctuation, .connector])
        case .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation,
             .otherPunctuation: c.insert(.punctuation)
        case .nonspacingMark, .spacingMark, .enclosingMark: c.insert(.mark)
        default: break
        }
        if p.isWhitespace { c.insert(.space) }
        if v < 128, s.isASCII, (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v)
            || (0x7B...0x7E).contains(v) { c.insert(.punctuation) }
        return c
    }

    @inline(__always) static func of(_ s: Unicode.Scalar) -> CharClass {
        let v = s.value
        return v < UInt32(tableSize) ? CharClass(rawValue: table[Int(v)]) : compute(v)
    }
}

extension Unicode.Scalar {
    @inline(__always) var isLetterClass: Bool { CharClass.of(self).contains(.letter) }
    @inline(__always) var isNumberClass: Bool { CharClass.of(self).contains(.number) }
    @inline(__always) var isSpaceClass: Bool { CharClass.of(self).contains(.space) }
    /// Rust's `char::is_alphanumeric() || c == '_'`: tokenizers' word test for single-word added tokens.
    var isWordChar: Bool {
        value == 0x5F || !CharClass.of(self).isDisjoint(with: [.letter, .number])
    }
    /// Oniguruma's \w: letters, marks, numbers and connector punctuation.
    var isRegexWordChar: Bool { !CharClass.of(self).isDisjoint(with: [.letter, .number, .mark, .connector]) }
}
