// PyChar: Python 3 `str` character classes on Unicode scalars, as the IFEval reference scorer sees them.
//
// The reference (google-research instruction_following_eval) runs Python `re` and `str` methods, which work per
// code point with their own Unicode rules. Swift's `Character` (grapheme clusters) and Foundation's character sets
// differ from them in exactly the places that flip verdicts (combining marks in `\w`, U+001C–U+001F in `strip()`,
// ICU's extra line terminators). These predicates mirror CPython 3.11:
//   - `isspace`  = Objects/unicodectype.c `_PyUnicode_IsWhitespace` (bidi WS/B/S or Zs), also `re`'s `\s`;
//   - `isWord`   = `re`'s `\w` for str patterns = `str.isalnum()` or "_" (letters L*, or any Numeric_Type);
//   - `isDecimal`= `re`'s `\d` = Numeric_Type=Decimal;
//   - `isUpper`/`isLower` = the derived Uppercase/Lowercase properties (CPython's UPPER_MASK/LOWER_MASK).

/// Python `str` character predicates on single code points.
public enum PyChar {
    /// `str.isspace()` for one code point; also what `re`'s `\s` and `str.strip()`/`split()` use.
    @inline(__always)
    public static func isSpace(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 { return (v >= 0x09 && v <= 0x0D) || (v >= 0x1C && v <= 0x20) }
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// `string.whitespace` membership (ASCII only: space, \t, \n, \r, \x0b, \x0c), used by Punkt's
    /// `_get_last_whitespace_index`.
    @inline(__always)
    public static func isASCIIWhitespace(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return v == 0x20 || (v >= 0x09 && v <= 0x0D)
    }

    /// `re`'s `\w` on str patterns: alphanumeric (`str.isalnum()`) or underscore.
    @inline(__always)
    public static func isWord(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        return isAlpha(c) || c.properties.numericType != nil
    }

    /// `\w` of the third-party `regex` module (UTS #18 word characters), which nltk ≥ 3.10 uses for all its
    /// patterns (nltk/redos.py): Alphabetic, any Mark, Decimal_Number, Connector_Punctuation, Join_Control.
    /// Unlike `re`'s `\w` it includes combining marks (Devanagari vowel signs) and excludes No (², ½).
    @inline(__always)
    public static func isRegexWord(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        let p = c.properties
        if p.isAlphabetic || p.isJoinControl { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// `\s` of the `regex` module (White_Space property): Python's `isspace` minus U+001C–U+001F.
    @inline(__always)
    public static func isRegexSpace(_ c: Unicode.Scalar) -> Bool {
        isSpace(c) && !(c.value >= 0x1C && c.value <= 0x1F)
    }

    /// `str.isalpha()` for one code point: general category Lu, Ll, Lt, Lm or Lo.
    @inline(__always)
    public static func isAlpha(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// `re`'s `\d` on str patterns: a decimal digit (Numeric_Type=Decimal, i.e. category Nd).
    @inline(__always)
    public static func isDecimal(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.value >= 0x30 && c.value <= 0x39 }
        return c.properties.numericType == .decimal
    }

    /// Uppercase as CPython's `Py_UNICODE_ISUPPER` (derived property Uppercase).
    @inline(__always)
    public static func isUpper(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.value >= 0x41 && c.value <= 0x5A }
        return c.properties.isUppercase
    }

    /// Lowercase as CPython's `Py_UNICODE_ISLOWER` (derived property Lowercase).
    @inline(__always)
    public static func isLower(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.value >= 0x61 && c.value <= 0x7A }
        return c.properties.isLowercase
    }

    /// Titlecase letter (category Lt), which `isupper()`/`islower()` treat as disqualifying.
    @inline(__always)
    public static func isTitle(_ c: Unicode.Scalar) -> Bool {
        c.value >= 0x80 && c.properties.generalCategory == .titlecaseLetter
    }

    /// The simple (one code point) lowercase mapping, used for `re.IGNORECASE` comparisons.
    /// Full mappings longer than one code point (U+0130 → "i̇") keep their first code point, which is
    /// the simple mapping in UnicodeData.txt for every such character.
    @inline(__always)
    public static func simpleLower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        if c.value < 0x80 {
            return (c.value >= 0x41 && c.value <= 0x5A) ? Unicode.Scalar(UInt8(c.value + 32)) : c
        }
        return c.properties.lowercaseMapping.unicodeScalars.first ?? c
    }
}
