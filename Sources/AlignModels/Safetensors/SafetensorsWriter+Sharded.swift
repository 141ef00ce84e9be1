// SafetensorsWriter+Sharded: saves a model's weights into a folder the way transformers'
// save_pretrained does through huggingface_hub (serialization/_base.py
// `split_state_dict_into_shards_factory` and _torch.py `save_torch_state_dict`, v2.4.0):
// tensors are taken in the caller's order and a new shard starts when the next tensor would push
// the current one past `maxShardSize` (a tensor larger than the limit gets a shard of its own);
// one shard is saved as model.safetensors, several as model-00001-of-0000N.safetensors plus
// model.safetensors.index.json (`{"metadata": {"total_size"}, "weight_map"}`, written like
// transformers' `json.dumps(index, indent=2, sort_keys=True) + "\n"`). Shards carry only
// {"format": "pt"}, as huggingface_hub does. Files of an earlier save that would confuse the loader
// (a stale model.safetensors, stale shards or index) are removed.
import Foundation

extension SafetensorsWriter {
    /// huggingface_hub's default shard limit ("5GB" = 5·10⁹ bytes).
    public static let defaultMaxShardSize = 5_000_000_000

    /// Splits entries into shards by huggingface_hub's rule; returns the shards in order.
    public static func shardPlan(_ entries: [Entry], maxShardSize: Int) -> [[Entry]] {
        var shards: [[Entry]] = []
        var current: [Entry] = []
        var currentSize = 0
        for e in entries {
            if e.byteCount > maxShardSize {
                shards.append([e])  // alone, and the current shard stays open (as the reference does)
                continue
            }
            if currentSize + e.byteCount > maxShardSize {
                shards.append(current)
                (current, currentSize) = ([], 0)
            }
            current.append(e)
            currentSize += e.byteCount
        }
        if !current.isEmpty { shards.append(current) }
        return shards
    }

    /// Writes `entries` into `directory` as one file or as shards plus an index.
    ///
    /// Each file is written atomically. Order across files: shards first, then a stale
    /// model.safetensors is removed (the loader prefers it), then the index, then stale shards.
    /// - Parameters:
    ///   - entries: tensors in state-dict order (the order decides the split).
    ///   - maxShardSize: the byte limit per shard.
    ///   - metadata: header metadata for a single-file save; shards always get `{"format": "pt"}`.
    /// - Returns: the file names written, index last.
    @discardableResult
    public static func writeCheckpoint(_ entries: [Entry], to directory: URL, maxShardSize: Int = defaultMaxShardSize,
                                       metadata: [String: String] = defaultMetadata) throws -> [String] {
        let shards = shardPlan(entries, maxShardSize: maxShardSize)
        if shards.count <= 1 {
            try write(entries, to: directory.appendingPathComponent(SafetensorsIndex.singleFileName), metadata: metadata)
            try removeStale(in: directory, keeping: [SafetensorsIndex.singleFileName])
            return [SafetensorsIndex.singleFileName]
        }
        let names = (1 ... shards.count).map { String(format: "model-%05d-of-%05d.safetensors", $0, shards.count) }
        var weightMap: [String: String] = [:]
        for (shard, name) in zip(shards, names) {
            try write(shard, to: directory.appendingPathComponent(name), metadata: defaultMetadata)
            for e in shard { weightMap[e.name] = name }
        }
        try removeStale(in: directory, keeping: Set(names + [SafetensorsIndex.fileName]), onlySingleFile: true)
        let totalSize = entries.reduce(0) { $0 + $1.byteCount }
        try AtomicFile.write(Array(indexJSON(weightMap: weightMap, totalSize: totalSize).utf8),
                             to: directory.appendingPathComponent(SafetensorsIndex.fileName))
        try removeStale(in: directory, keeping: Set(names + [SafetensorsIndex.fileName]))
        return names + [SafetensorsIndex.fileName]
    }

    /// The index text, formatted like Python's `json.dumps(index, indent=2, sort_keys=True) + "\n"`.
    static func indexJSON(weightMap: [String: String], totalSize: Int) -> String {
        let lines = weightMap.keys.sorted().map {
            "    " + JSONText.quoted($0, asciiOnly: true) + ": " + JSONText.quoted(weightMap[$0] ?? "", asciiOnly: true)
        }
        return "{\n  \"metadata\": {\n    \"total_size\": \(totalSize)\n  },\n  \"weight_map\": {\n"
            + lines.joined(separator: ",\n") + "\n  }\n}\n"
    }

    /// Removes checkpoint files of an earlier save (model.safetensors, model-NNNNN-of-NNNNN.safetensors,
    /// the index) that are not in `keeping`. With `onlySingleFile`, only a stale model.safetensors.
    private static func removeStale(in directory: URL, keeping: Set<String>, onlySingleFile: Bool = false) throws {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where !keeping.contains(name) {
            let single = name == SafetensorsIndex.singleFileName
            let stale = single || (!onlySingleFile && (name == SafetensorsIndex.fileName || isShardName(name)))
            guard stale else { continue }
            do { try fm.removeItem(at: directory.appendingPathComponent(name)) } catch {
                throw AlignModelsError.writeFailed(file: directory.appendingPathComponent(name).path,
                                                   reason: "cannot remove stale checkpoint file: \(error.localizedDescription)")
            }
        }
    }

    /// Whether `name` is `model-<5 digits>-of-<5 digits>.safetensors`.
    static func isShardName(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard u.count == 32, name.hasPrefix("model-"), name.hasSuffix(".safetensors") else { return false }
        let digits = Array(u[6 ..< 11]) + Array(u[15 ..< 20])
        return digits.allSatisfy { (0x30 ... 0x39).contains($0) } && String(decoding: u[11 ..< 15], as: UTF8.self) == "-of-"
    }
}
