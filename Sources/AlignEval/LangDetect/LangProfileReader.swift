// LangProfileReader: a small reader for langdetect's profile files, which are JSON objects of one fixed shape:
//   {"freq": {"<gram>": <count>, …}, "n_words": [<n1>, <n2>, <n3>], "name": "<lang>"}
// Reading the bytes directly (instead of JSONSerialization into [String: Any]) keeps start-up short: the 55
// profiles hold 184k grams. Strings may use JSON escapes (\" \\ \/ \b \f \n \r \t \uXXXX with surrogate pairs);
// anything outside the shape is a typed error naming the file.
import Foundation

struct LangProfileReader {
    private let bytes: [UInt8]
    private var i = 0
    private let path: String

    init(data: Data, path: String) {
        bytes = [UInt8](data)
        self.path = path
    }

    private func fail(_ why: String) -> AlignEvalError {
        .badResource(name: path, reason: "\(why) at byte \(i)")
    }

    /// The profile's name, its gram counts (grams as code points) and its n_words.
    mutating func read() throws -> (name: String, freq: [([Unicode.Scalar], Double)], nWords: [Double]) {
        var name: String?, nWords: [Double]?, freq: [([Unicode.Scalar], Double)] = []
        try expect(UInt8(ascii: "{"))
        repeat {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            switch String(String.UnicodeScalarView(key)) {
            case "freq":
                try expect(UInt8(ascii: "{"))
                if !consume(UInt8(ascii: "}")) {
                    repeat {
                        let gram = try string()
                        try expect(UInt8(ascii: ":"))
                        freq.append((gram, try number()))
                    } while consume(UInt8(ascii: ","))
                    try expect(UInt8(ascii: "}"))
                }
            case "n_words":
                try expect(UInt8(ascii: "["))
                var counts: [Double] = []
                repeat { counts.append(try number()) } while consume(UInt8(ascii: ","))
                try expect(UInt8(ascii: "]"))
                nWords = counts
            case "name": name = String(String.UnicodeScalarView(try string()))
            default: throw fail("unexpected key")
            }
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
        guard let name, let nWords else { throw fail("missing 'name' or 'n_words'") }
        return (name, freq, nWords)
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func consume(_ b: UInt8) -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == b else { return false }
        i += 1
        return true
    }

    private mutating func expect(_ b: UInt8) throws {
        guard consume(b) else { throw fail("expected '\(Character(Unicode.Scalar(b)))'") }
    }

    private mutating func number() throws -> Double {
        skipSpace()
        let start = i
        while i < bytes.count, (0x30...0x39).contains(bytes[i]) || bytes[i] == UInt8(ascii: ".") { i += 1 }
        guard i > start, let v = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else {
            throw fail("expected a number")
        }
        return v
    }

    private mutating func string() throws -> [Unicode.Scalar] {
        try expect(UInt8(ascii: "\""))
        var raw: [UInt8] = []
        var out: [Unicode.Scalar] = []
        func flush() { out.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw.removeAll() }
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") { flush(); return out }
            guard b == UInt8(ascii: "\\") else { raw.append(b); continue }
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "u"):
                flush()
                var v = try hex4()
                if (0xD800..<0xDC00).contains(v), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                   bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let lo = try hex4()
                    guard (0xDC00..<0xE000).contains(lo) else { throw fail("invalid surrogate pair") }
                    v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
                }
                guard let s = Unicode.Scalar(v) else { throw fail("invalid \\u escape") }
                out.append(s)
            case UInt8(ascii: "n"): raw.append(0x0A)
            case UInt8(ascii: "t"): raw.append(0x09)
            case UInt8(ascii: "r"): raw.append(0x0D)
            case UInt8(ascii: "b"): raw.append(0x08)
            case UInt8(ascii: "f"): raw.append(0x0C)
            default: raw.append(e)  // \" \\ \/
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16)
        else { throw fail("expected 4 hex digits") }
        i += 4
        return v
    }
}
