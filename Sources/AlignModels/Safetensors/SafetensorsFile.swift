// SafetensorsFile: one opened .safetensors file — header validated at open, data memory-mapped,
// tensors converted to Float32 on request (F32 copied, F16/BF16 widened exactly) through the
// core's `Tensor(bytes:dtype:shape:name:)`. Integer tensors (I64/I32, e.g. position_ids buffers)
// can be read separately as [Int]. Mirrors `safe_open(...).get_tensor(name)` of the Python
// library (huggingface/safetensors v0.8.0) minus device placement and lazy slicing.
import Foundation
import AlignTensor

/// A safetensors file opened for reading.
///
///     let file = try SafetensorsFile(url: dir.appendingPathComponent("model.safetensors"))
///     let w = try file.tensor("model.norm.weight", expectedShape: [256])   // [C]
public final class SafetensorsFile: @unchecked Sendable {
    /// The file's path, as used in error messages.
    public let path: String
    /// The header's `__metadata__` map (transformers writes `{"format": "pt"}`), if any.
    public let metadata: [String: String]?
    /// Header entries sorted by name.
    public let entries: [SafetensorsEntry]
    private let index: [String: Int]
    private let file: MappedFile
    private let dataStart: Int

    /// Opens and validates `url`. With `mapping` false the file is read into memory instead of mapped.
    /// - Throws: `AlignModelsError` naming the file (and tensor) for a truncated, corrupt or inconsistent file.
    public init(url: URL, mapping: Bool = true) throws {
        path = url.path
        file = try MappedFile(path: path, mode: mapping ? .mapped : .read)
        let header = try SafetensorsHeader.parse(file.bytes, file: path)
        metadata = header.metadata
        entries = header.entries.sorted { $0.name < $1.name }
        index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
        dataStart = header.dataStart
    }

    /// Whether the bytes are memory-mapped (false when mapping was refused or not requested).
    public var isMapped: Bool { file.mode == .mapped }

    /// Tensor names, sorted.
    public var names: [String] { entries.map(\.name) }

    /// The header entry of `name`; throws `missingTensor` naming this file.
    public func entry(_ name: String) throws -> SafetensorsEntry {
        guard let i = index[name] else { throw AlignModelsError.missingTensor(name: name, file: path) }
        return entries[i]
    }

    /// Whether the file declares `name`.
    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// The raw little-endian bytes of `name`, valid only inside `body`.
    public func withRawBytes<R>(of name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let e = try entry(name)
        return try body(UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + e.begin) ..< (dataStart + e.end)]))
    }

    /// `name` as a Float32 tensor.
    /// - Parameter expectedShape: when given, a different stored shape throws `shapeMismatch`.
    /// - Throws: `missingTensor`, `shapeMismatch`, or `unsupportedDType` for non-float dtypes.
    public func tensor(_ name: String, expectedShape: [Int]? = nil) throws -> Tensor {
        let e = try entry(name)
        if let expectedShape, expectedShape != e.shape {
            throw AlignModelsError.shapeMismatch(tensor: name, file: path, expected: expectedShape, actual: e.shape)
        }
        guard let dtype = e.floatDType else {
            throw AlignModelsError.unsupportedDType(file: path, tensor: name, dtype: e.dtype)
        }
        return try withRawBytes(of: name) { raw in
            do {
                return try Tensor(bytes: raw, dtype: dtype, shape: e.shape, name: name)
            } catch {
                // Unreachable after header validation; kept typed rather than trapping.
                throw AlignModelsError.byteSizeMismatch(file: path, tensor: name, shape: e.shape, dtype: e.dtype,
                                                        expectedBytes: e.elementCount * dtype.size, actualBytes: raw.count)
            }
        }
    }

    /// An integer tensor (I64, I32, U8 or BOOL) as flat values in row-major order.
    /// - Throws: `unsupportedDType` for float or other dtypes; I64 values beyond Int's range cannot occur on 64-bit.
    public func integers(_ name: String) throws -> [Int] {
        let e = try entry(name)
        return try withRawBytes(of: name) { raw in
            let n = e.elementCount
            switch e.dtype {
            case "I64": return (0 ..< n).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
            case "I32": return (0 ..< n).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
            case "U8", "BOOL": return raw.map { Int($0) }
            default: throw AlignModelsError.unsupportedDType(file: path, tensor: name, dtype: e.dtype)
            }
        }
    }
}
