// ByteLevelMap: GPT-2's reversible byte ↔ printable-character map used by ByteLevel pre-tokenizers and
// decoders (openai/gpt-2 encoder.py `bytes_to_unicode`; tokenizers/src/pre_tokenizers/byte_level.rs).
// Printable Latin-1 bytes map to themselves; the other 68 bytes map to U+0100 upwards in byte order.

/// The byte ↔ character tables.
public enum ByteLevelMap {
    /// `byteToScalar[b]`: the character that stands for byte b.
    public static let byteToScalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt8(b))
            } else {
                table[b] = Unicode.Scalar(next) ?? " "
                next += 1
            }
        }
        return table
    }()

    /// `scalarToByte[c]` for c < 0x144, or -1 when c stands for no byte.
    public static let scalarToByte: [Int16] = {
        var t = [Int16](repeating: -1, count: 0x144)
        for (b, s) in byteToScalar.enumerated() { t[Int(s.value)] = Int16(b) }
        return t
    }()

    /// The byte a character stands for, or nil.
    @inline(__always) public static func byte(for s: Unicode.Scalar) -> UInt8? {
        let v = Int(s.value)
        guard v < scalarToByte.count, scalarToByte[v] >= 0 else { return nil }
        return UInt8(scalarToByte[v])
    }
}
