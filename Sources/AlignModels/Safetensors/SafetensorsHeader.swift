// SafetensorsHeader: parses and validates the header of a safetensors file — the 8-byte
// little-endian header length N, N bytes of JSON ({name: {dtype, shape, data_offsets}} plus an
// optional "__metadata__" string map), then the data section. Mirrors the checks of the reference
// loader (huggingface/safetensors, safetensors/src/tensor.rs `SafeTensors::read_metadata` and
// `Metadata::validate`, v0.8.0): 100 MB header limit, dtype × shape = byte length, and tensors that
// tile the data section with no gap, no overlap and nothing left over. Unlike a dictionary-based
// decoder it also reports a tensor name declared twice. It does not convert any data.
import AlignTensor

/// The safetensors dtype vocabulary and element sizes (safetensors/src/tensor.rs `Dtype`).
/// Sub-byte formats (F4, F6_*) are left out: they are refused as unknown.
public enum SafetensorsDTypes {
    /// Bytes per element for each dtype string the format defines.
    public static let elementSize: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1,
        "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4,
        "F64": 8, "I64": 8, "U64": 8, "C64": 8,
    ]
}

/// One tensor's header entry.
public struct SafetensorsEntry: Equatable, Sendable {
    /// The tensor's name, e.g. `model.layers.0.self_attn.q_proj.weight`.
    public let name: String
    /// The dtype string as stored (`F32`, `BF16`, `I64`, …).
    public let dtype: String
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// Byte range `begin ..< end` inside the data section (which starts after the header).
    public let begin: Int
    public let end: Int

    /// The dtype as a convertible float type, or nil for integer and other dtypes.
    public var floatDType: DType? { DType(rawValue: dtype) }
    /// Number of elements.
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A validated header: metadata, entries in file order, and where the data section starts.
struct SafetensorsHeader {
    /// `__metadata__`, when present.
    let metadata: [String: String]?
    /// Entries in the order the JSON lists them.
    let entries: [SafetensorsEntry]
    /// Byte offset of the data section in the file: 8 + N.
    let dataStart: Int

    /// The reference loader's limit on N (safetensors' MAX_HEADER_SIZE).
    static let maxHeaderLength = 100_000_000

    /// Parses and validates the header at the start of `bytes` (the whole file).
    static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws -> SafetensorsHeader {
        guard bytes.count >= 8 else {
            throw AlignModelsError.truncatedFile(file: file, size: bytes.count, needed: 8, what: "the 8-byte header length")
        }
        let n = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard n <= UInt64(maxHeaderLength) else {
            throw AlignModelsError.headerTooLarge(file: file, headerLength: n, limit: maxHeaderLength)
        }
        let headerEnd = 8 + Int(n)
        guard headerEnd <= bytes.count else {
            throw AlignModelsError.truncatedFile(file: file, size: bytes.count, needed: headerEnd, what: "the \(n)-byte JSON header")
        }
        let json: HeaderJSON
        do {
            json = try HeaderJSON.parse(UnsafeRawBufferPointer(rebasing: bytes[8 ..< headerEnd]))
        } catch let f as HeaderJSON.Failure {
            throw AlignModelsError.invalidHeader(file: file, reason: "JSON error at header byte \(f.offset): \(f.message)")
        }
        guard case let .object(members) = json else {
            throw AlignModelsError.invalidHeader(file: file, reason: "the header is not a JSON object")
        }
        var metadata: [String: String]?
        var entries: [SafetensorsEntry] = []
        var seen = Set<String>()
        for (key, value) in members {
            guard seen.insert(key).inserted else { throw AlignModelsError.duplicateTensor(name: key, files: [file, file]) }
            if key == "__metadata__" {
                metadata = try parseMetadata(value, file: file)
            } else {
                entries.append(try parseEntry(name: key, value, file: file))
            }
        }
        try checkLayout(entries, dataLength: bytes.count - headerEnd, headerEnd: headerEnd, file: file)
        return SafetensorsHeader(metadata: metadata, entries: entries, dataStart: headerEnd)
    }

    /// `__metadata__` must be an object of strings (the format's "free form text map").
    private static func parseMetadata(_ value: HeaderJSON, file: String) throws -> [String: String] {
        guard case let .object(members) = value else {
            throw AlignModelsError.invalidHeader(file: file, reason: "__metadata__ is not an object")
        }
        var out: [String: String] = [:]
        for (k, v) in members {
            guard case let .string(s) = v else {
                throw AlignModelsError.invalidHeader(file: file, reason: "__metadata__['\(k)'] is not a string")
            }
            out[k] = s
        }
        return out
    }

    /// One `{dtype, shape, data_offsets}` entry, with its byte length checked against shape × dtype.
    private static func parseEntry(name: String, _ value: HeaderJSON, file: String) throws -> SafetensorsEntry {
        func bad(_ reason: String) -> AlignModelsError {
            .invalidHeader(file: file, reason: "tensor '\(name)': \(reason)")
        }
        guard case let .object(fields) = value else { throw bad("entry is not an object") }
        func field(_ key: String) throws -> HeaderJSON {
            guard let v = fields.first(where: { $0.key == key })?.value else { throw bad("missing '\(key)'") }
            return v
        }
        guard case let .string(dtype) = try field("dtype") else { throw bad("'dtype' is not a string") }
        let shape = try naturals(try field("shape"), what: "shape", bad)
        let offsets = try naturals(try field("data_offsets"), what: "data_offsets", bad)
        guard offsets.count == 2 else { throw bad("'data_offsets' has \(offsets.count) numbers, expected 2") }
        guard let size = SafetensorsDTypes.elementSize[dtype] else {
            throw AlignModelsError.unknownDType(file: file, tensor: name, dtype: dtype)
        }
        var count = 1
        for d in shape {
            let (c, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw bad("shape \(shape) overflows") }
            count = c
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow else { throw bad("shape \(shape) overflows") }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else {
            throw AlignModelsError.invalidOffsets(file: file, tensor: name, reason: "begin \(begin) > end \(end)")
        }
        guard end - begin == expected else {
            throw AlignModelsError.byteSizeMismatch(file: file, tensor: name, shape: shape, dtype: dtype,
                                                    expectedBytes: expected, actualBytes: end - begin)
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// A JSON array of non-negative integers that fit in Int.
    private static func naturals(_ v: HeaderJSON, what: String, _ bad: (String) -> AlignModelsError) throws -> [Int] {
        guard case let .array(items) = v else { throw bad("'\(what)' is not an array") }
        return try items.map {
            guard case let .integer(x) = $0, x >= 0 else { throw bad("'\(what)' must hold non-negative integers") }
            return Int(x)
        }
    }

    /// Tensors must tile the data section exactly: sorted by offset, each starts where the previous
    /// ended, and the last ends at the end of the file (the reference's `validate`).
    private static func checkLayout(_ entries: [SafetensorsEntry], dataLength: Int, headerEnd: Int, file: String) throws {
        let sorted = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var previous: SafetensorsEntry?
        for e in sorted {
            let prevEnd = previous?.end ?? 0
            if let p = previous, e.begin < prevEnd {
                throw AlignModelsError.overlappingTensors(file: file, first: p.name, second: e.name)
            }
            guard e.begin == prevEnd else {
                throw AlignModelsError.invalidOffsets(
                    file: file, tensor: e.name, reason: "starts at \(e.begin), leaving a gap after byte \(prevEnd)")
            }
            guard e.end <= dataLength else {
                // Saturate: a corrupt offset may be near Int.max.
                let needed = e.end > Int.max - headerEnd ? Int.max : headerEnd + e.end
                throw AlignModelsError.truncatedFile(file: file, size: headerEnd + dataLength, needed: needed,
                                                     what: "tensor '\(e.name)'")
            }
            previous = e
        }
        let covered = previous?.end ?? 0
        guard covered == dataLength else {
            throw AlignModelsError.invalidHeader(
                file: file, reason: "data section has \(dataLength) bytes but the tensors cover \(covered)")
        }
    }
}
