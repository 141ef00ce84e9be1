// SafetensorsCheckpoint: the weights of a Hugging Face model folder, single-file or sharded.
// File selection mirrors transformers' loader (modeling_utils `_get_resolved_checkpoint_files`,
// v5: SAFE_WEIGHTS_NAME first, then SAFE_WEIGHTS_INDEX_NAME) and mlx-swift-lm's documented
// fallbacks; unlike swift-transformers it never skips a weight silently: missing, unexpected,
// duplicated and mis-shaped tensors are typed errors naming the tensor and the file.
import Foundation
import AlignTensor

/// The safetensors weights of a model folder.
///
/// File selection, in order:
/// 1. `model.safetensors` exists → that one file (an index beside it is ignored, as transformers does).
/// 2. else `model.safetensors.index.json` exists → the shards its `weight_map` names. Every shard
///    must exist in the same folder; each mapped tensor must be declared by its shard; a tensor a
///    shard declares but the index does not map, or one declared by two shards, is an error.
/// 3. else `AlignModelsError.noCheckpoint` listing the files found (e.g. a `pytorch_model.bin`
///    that AlignKit cannot read).
///
///     let ckpt = try SafetensorsCheckpoint(directory: modelDir)
///     let weights = try ckpt.load(expected: ["model.norm.weight": [256], ...], strict: true)
public final class SafetensorsCheckpoint: @unchecked Sendable {
    /// The model folder.
    public let directory: URL
    /// The opened files: one, or the shards in name order.
    public let files: [SafetensorsFile]
    /// The shard index, when the checkpoint is sharded.
    public let index: SafetensorsIndex?
    private let location: [String: Int]

    /// Opens the checkpoint in `directory` by the selection rules above.
    /// - Parameter mapping: memory-map the files (default) or read them into memory.
    public init(directory: URL, mapping: Bool = true) throws {
        self.directory = directory
        let fm = FileManager.default
        let single = directory.appendingPathComponent(SafetensorsIndex.singleFileName)
        let indexURL = directory.appendingPathComponent(SafetensorsIndex.fileName)
        if fm.fileExists(atPath: single.path) {
            let f = try SafetensorsFile(url: single, mapping: mapping)
            (files, index) = ([f], nil)
            location = Dictionary(uniqueKeysWithValues: f.names.map { ($0, 0) })
        } else if fm.fileExists(atPath: indexURL.path) {
            let idx = try SafetensorsIndex(url: indexURL)
            let shardNames = idx.shardFileNames
            files = try shardNames.map { try SafetensorsFile(url: directory.appendingPathComponent($0), mapping: mapping) }
            location = try SafetensorsCheckpoint.locate(index: idx, shardNames: shardNames, files: files)
            index = idx
        } else {
            let found = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
            throw AlignModelsError.noCheckpoint(directory: directory.path, found: Array(found.prefix(20)))
        }
    }

    /// Cross-checks the index against the shards' headers; returns name → file position.
    private static func locate(index: SafetensorsIndex, shardNames: [String], files: [SafetensorsFile]) throws -> [String: Int] {
        var owner: [String: Int] = [:]
        for (i, f) in files.enumerated() {
            for name in f.names {
                if let j = owner[name] {
                    throw AlignModelsError.duplicateTensor(name: name, files: [files[j].path, f.path])
                }
                owner[name] = i
            }
        }
        for name in owner.keys.sorted() {
            let shard = shardNames[owner[name] ?? 0]
            guard index.weightMap[name] == shard else {
                throw AlignModelsError.invalidIndex(
                    file: index.path, reason: "shard \(shard) declares '\(name)', which the weight_map "
                        + (index.weightMap[name].map { "assigns to \($0)" } ?? "does not list"))
            }
        }
        for (name, shard) in index.weightMap.sorted(by: { $0.key < $1.key }) where owner[name] == nil {
            throw AlignModelsError.missingTensor(name: name, file: files[shardNames.firstIndex(of: shard) ?? 0].path)
        }
        return owner
    }

    /// All tensor names, sorted.
    public var names: [String] { location.keys.sorted() }

    /// Where `name` lives, for error messages.
    private var describedLocation: String { index?.path ?? files.first?.path ?? directory.path }

    /// The file that declares `name`.
    public func file(containing name: String) throws -> SafetensorsFile {
        guard let i = location[name] else { throw AlignModelsError.missingTensor(name: name, file: describedLocation) }
        return files[i]
    }

    /// `name` as Float32; `expectedShape` (if given) must match the stored shape.
    public func tensor(_ name: String, expectedShape: [Int]? = nil) throws -> Tensor {
        try file(containing: name).tensor(name, expectedShape: expectedShape)
    }

    /// Loads the tensors a model expects, checking every shape.
    /// - Parameters:
    ///   - expected: tensor name → expected shape.
    ///   - strict: when true, tensors in the checkpoint that `expected` does not list are an
    ///     `unexpectedTensors` error listing all of them; when false they are left unread.
    /// - Throws: `missingTensor` for the first expected name (sorted) that is absent, `shapeMismatch`,
    ///   `unexpectedTensors`, `unsupportedDType`.
    public func load(expected: [String: [Int]], strict: Bool = true) throws -> [String: Tensor] {
        for name in expected.keys.sorted() where location[name] == nil {
            throw AlignModelsError.missingTensor(name: name, file: describedLocation)
        }
        if strict {
            let extra = names.filter { expected[$0] == nil }
            if !extra.isEmpty { throw AlignModelsError.unexpectedTensors(names: extra, file: describedLocation) }
        }
        var out: [String: Tensor] = [:]
        for (name, shape) in expected { out[name] = try tensor(name, expectedShape: shape) }
        return out
    }

    /// Every tensor in the checkpoint, as Float32.
    public func loadAll() throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for name in names { out[name] = try tensor(name) }
        return out
    }
}
