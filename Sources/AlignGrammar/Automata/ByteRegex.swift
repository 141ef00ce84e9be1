// ByteRegex: a regular expression over bytes, the common input of the automaton builder (NFA → DFA).
// Front ends lower code-point regexes (JSON Schema `pattern`, formats, GBNF character classes) into it
// after choosing an encoding of code points as bytes (plain UTF-8, or canonical JSON-string escaping).

/// A regular expression whose alphabet is bytes.
public indirect enum ByteRegex: Sendable, Hashable {
    /// The empty string.
    case empty
    /// No string at all.
    case nothing
    /// One byte from the set.
    case bytes(ByteSet)
    /// Concatenation.
    case seq([ByteRegex])
    /// Union.
    case alt([ByteRegex])
    /// Between `min` and `max` (nil = unbounded) copies.
    case `repeat`(ByteRegex, min: Int, max: Int?)

    /// The exact byte string `bytes`.
    public static func literal<S: Sequence>(_ bytes: S) -> ByteRegex where S.Element == UInt8 {
        .seq(bytes.map { .bytes(ByteSet($0...$0)) })
    }

    /// The exact UTF-8 encoding of `text`.
    public static func literal(_ text: String) -> ByteRegex { literal(Array(text.utf8)) }

    /// Zero or more copies.
    public static func star(_ r: ByteRegex) -> ByteRegex { .repeat(r, min: 0, max: nil) }

    /// Zero or one copy.
    public static func opt(_ r: ByteRegex) -> ByteRegex { .repeat(r, min: 0, max: 1) }
}
