// SafetensorsWriter: writes tensors in the byte layout of the reference writer (huggingface/
// safetensors v0.8.0, safetensors/src/tensor.rs `prepare` + `serialize`): tensors ordered by dtype
// (wider dtype rank first: F32, then BF16, then F16) then by name; a compact JSON header with
// "__metadata__" first; the header padded with spaces to a multiple of 8 bytes so the data section
// starts 8-aligned; data little-endian. For the same tensors and metadata the output is
// byte-identical to `safetensors.torch.save_file` (checked against files it wrote). Files are written
// atomically. Float32 tensors can be stored as F32, BF16 or F16 (round-to-nearest-even).
import Foundation
import AlignTensor

/// Writes safetensors files.
///
///     try SafetensorsWriter.write([.init("model.norm.weight", norm)], to: url)   // F32, {"format": "pt"}
public enum SafetensorsWriter {
    /// One tensor to store, and the dtype to store it as.
    public struct Entry {
        public let name: String
        public let tensor: Tensor
        public let dtype: DType

        public init(_ name: String, _ tensor: Tensor, dtype: DType = .f32) {
            self.name = name
            self.tensor = tensor
            self.dtype = dtype
        }

        /// Bytes this entry takes in the data section.
        public var byteCount: Int { tensor.count * dtype.size }
    }

    /// The metadata transformers and huggingface_hub write: the tensors are PyTorch-layout.
    public static let defaultMetadata = ["format": "pt"]

    /// Writes `entries` to `url` atomically (temp file in the same folder, fsync, rename).
    /// - Throws: `duplicateTensor` for a name given twice, `writeFailed` on I/O errors.
    public static func write(_ entries: [Entry], to url: URL, metadata: [String: String]? = defaultMetadata) throws {
        let (header, order) = try layout(entries, metadata: metadata, file: url.path)
        try AtomicFile.write(to: url) { out in
            try out.append(header)
            for e in order { try out.append(e.tensor.bytes(as: e.dtype)) }
        }
    }

    /// The whole file as bytes (for small files and tests).
    public static func serialize(_ entries: [Entry], metadata: [String: String]? = defaultMetadata) throws -> [UInt8] {
        let (header, order) = try layout(entries, metadata: metadata, file: "<memory>")
        return order.reduce(into: header) { $0 += $1.tensor.bytes(as: $1.dtype) }
    }

    /// The safetensors dtype enum's declaration order (…, F16, BF16, …, F32, …); the reference sorts
    /// tensors by it descending so wider types come first and stay aligned.
    static func rank(_ d: DType) -> Int {
        switch d {
        case .f16: return 0
        case .bf16: return 1
        case .f32: return 2
        }
    }

    /// The 8-byte length, padded JSON header, and the entries in data order.
    static func layout(_ entries: [Entry], metadata: [String: String]?, file: String) throws -> ([UInt8], [Entry]) {
        var seen = Set<String>()
        for e in entries {
            guard e.name != "__metadata__" else {
                throw AlignModelsError.writeFailed(file: file, reason: "'__metadata__' cannot be a tensor name")
            }
            guard seen.insert(e.name).inserted else { throw AlignModelsError.duplicateTensor(name: e.name, files: [file]) }
        }
        let order = entries.sorted { a, b in
            rank(a.dtype) != rank(b.dtype) ? rank(a.dtype) > rank(b.dtype) : a.name < b.name
        }
        var json = "{"
        var parts: [String] = []
        if let metadata {
            let fields = metadata.keys.sorted().map { JSONText.quoted($0) + ":" + JSONText.quoted(metadata[$0] ?? "") }
            parts.append("\"__metadata__\":{" + fields.joined(separator: ",") + "}")
        }
        var offset = 0
        for e in order {
            let shape = e.tensor.shape.map(String.init).joined(separator: ",")
            parts.append(JSONText.quoted(e.name) + ":{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(offset),\(offset + e.byteCount)]}")
            offset += e.byteCount
        }
        json += parts.joined(separator: ",") + "}"
        var headerJSON = Array(json.utf8)
        // Pad with spaces to a multiple of 8 (the reference's N_LEN alignment): data then starts 8-aligned.
        headerJSON += [UInt8](repeating: 0x20, count: (8 - headerJSON.count % 8) % 8)
        var out = [UInt8](repeating: 0, count: 8)
        out.withUnsafeMutableBytes { $0.storeBytes(of: UInt64(headerJSON.count).littleEndian, as: UInt64.self) }
        return (out + headerJSON, order)
    }
}
