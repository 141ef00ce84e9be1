// SafetensorsIndex: model.safetensors.index.json, the map from tensor name to shard file that
// transformers and huggingface_hub write for sharded checkpoints:
//   {"metadata": {"total_size": <bytes of tensor data>}, "weight_map": {name: "model-00001-of-00002.safetensors"}}
// (huggingface_hub serialization/_base.py `split_state_dict_into_shards_factory`, v2.4.0). Read with
// the strict header JSON reader so a name listed twice is reported, and shard names are checked to
// be plain file names in the same folder (no "../" escapes).
import Foundation

/// A parsed shard index.
public struct SafetensorsIndex: Equatable, Sendable {
    /// The index file's conventional name.
    public static let fileName = "model.safetensors.index.json"
    /// The single-file checkpoint's conventional name.
    public static let singleFileName = "model.safetensors"

    /// Path of the index file (for error messages).
    public let path: String
    /// Tensor name → shard file name.
    public let weightMap: [String: String]
    /// `metadata.total_size` when present: the sum of the tensors' byte sizes.
    public let totalSize: Int?

    /// The distinct shard file names, sorted.
    public var shardFileNames: [String] { Array(Set(weightMap.values)).sorted() }

    /// Reads and validates the index at `url`.
    public init(url: URL) throws {
        path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AlignModelsError.unreadableFile(file: path, reason: "\(error.localizedDescription)")
        }
        let json: HeaderJSON
        do { json = try data.withUnsafeBytes { try HeaderJSON.parse($0) } } catch let f as HeaderJSON.Failure {
            throw AlignModelsError.invalidIndex(file: path, reason: "JSON error at byte \(f.offset): \(f.message)")
        }
        guard case let .object(top) = json else { throw AlignModelsError.invalidIndex(file: path, reason: "not a JSON object") }
        guard case let .object(map)? = top.first(where: { $0.key == "weight_map" })?.value else {
            throw AlignModelsError.invalidIndex(file: path, reason: "'weight_map' is missing or not an object")
        }
        var weightMap: [String: String] = [:]
        for (name, v) in map {
            guard case let .string(shard) = v else {
                throw AlignModelsError.invalidIndex(file: path, reason: "weight_map['\(name)'] is not a string")
            }
            guard !shard.isEmpty, !shard.contains("/"), !shard.contains("\\"), shard != ".", shard != ".." else {
                throw AlignModelsError.invalidIndex(file: path, reason: "shard '\(shard)' for '\(name)' is not a plain file name")
            }
            guard weightMap.updateValue(shard, forKey: name) == nil else {
                throw AlignModelsError.duplicateTensor(name: name, files: [path, path])
            }
        }
        guard !weightMap.isEmpty else { throw AlignModelsError.invalidIndex(file: path, reason: "'weight_map' is empty") }
        if case let .object(meta)? = top.first(where: { $0.key == "metadata" })?.value,
           case let .integer(size)? = meta.first(where: { $0.key == "total_size" })?.value {
            totalSize = Int(size)
        } else {
            totalSize = nil
        }
        self.weightMap = weightMap
        let dir = url.deletingLastPathComponent()
        for shard in shardFileNames where !FileManager.default.fileExists(atPath: dir.appendingPathComponent(shard).path) {
            let user = weightMap.first { $0.value == shard }?.key ?? ""
            throw AlignModelsError.invalidIndex(file: path, reason: "shard '\(shard)' (holding '\(user)') does not exist")
        }
    }
}
