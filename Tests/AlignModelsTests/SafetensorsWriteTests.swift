// Writing safetensors: byte-identical output to the Python library (tiny-llama as saved by
// transformers, the mixed-dtype file saved by safetensors.torch.save_file, the shards and index
// saved by huggingface_hub), bitwise load→save→load round trips, BF16/F16 rounding against torch,
// atomic writes, and stale-file cleanup between single-file and sharded saves.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
@testable import AlignModels

@Suite("safetensors writing")
struct SafetensorsWriteTests {
    @Test("re-saving tiny-llama reproduces transformers' model.safetensors byte for byte, and reloads bitwise")
    func tinyLlamaRoundTrip() throws {
        let src = SafetensorsReadTests.tinyLlama
        let ckpt = try SafetensorsCheckpoint(directory: src)
        let weights = try ckpt.loadAll()
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let written = try SafetensorsWriter.writeCheckpoint(ckpt.names.map { .init($0, weights[$0]!) }, to: dir)
        #expect(written == ["model.safetensors"])
        let original = try Data(contentsOf: src.appendingPathComponent("model.safetensors"))
        let ours = try Data(contentsOf: dir.appendingPathComponent("model.safetensors"))
        #expect(ours.count == original.count)
        #expect(ours == original)
        let again = try SafetensorsCheckpoint(directory: dir).loadAll()
        #expect(again.keys.sorted() == weights.keys.sorted())
        for (name, t) in weights {
            #expect(again[name]?.shape == t.shape)
            #expect(again[name]?.scalars.map(\.bitPattern) == t.scalars.map(\.bitPattern), "\(name)")
        }
        // Nothing but the final file is left behind (the temp file was renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["model.safetensors"])
    }

    @Test("mixed F32/BF16/F16 file: same bytes as safetensors.torch.save_file (dtype-then-name order, space padding)")
    func mixedDTypesByteIdentical() throws {
        let url = ModelsIO.fixture("dtypes.safetensors")
        let file = try SafetensorsFile(url: url)
        let entries = try file.names.map { SafetensorsWriter.Entry($0, try file.tensor($0), dtype: try #require(file.entry($0).floatDType)) }
        let bytes = try SafetensorsWriter.serialize(entries)
        let original = [UInt8](try Data(contentsOf: url))
        #expect(bytes == original)
        // Hand check of the layout rules on this file: header length is a multiple of 8, F32 first.
        let n = Int(original[0]) | Int(original[1]) << 8
        #expect(n % 8 == 0 && n == 416)
        let header = String(decoding: original[8 ..< 8 + n], as: UTF8.self)
        #expect(header.hasPrefix("{\"__metadata__\":{\"format\":\"pt\"},\"b.f32\":"))
    }

    @Test("Float32 → BF16 and F16 rounding matches torch (ties to even, subnormals, overflow)")
    func roundingMatchesTorch() throws {
        let r = try FixturePaths.loadJSON(DTypesFixture.self, "models-io/dtypes.json").rounding
        let x = try Tensor(r.f32_bits.map { Float(bitPattern: $0) }, shape: [r.f32_bits.count])
        func halves(_ d: DType) -> [UInt16] {
            let b = x.bytes(as: d)
            return stride(from: 0, to: b.count, by: 2).map { UInt16(b[$0]) | UInt16(b[$0 + 1]) << 8 }
        }
        // NaN payloads differ (torch's vector path gives 0xFFFF for BF16 NaN); compare NaN inputs as "is NaN".
        let nan = r.f32_bits.map { Float(bitPattern: $0).isNaN }
        func masked(_ bits: [UInt16]) -> [UInt16] { zip(bits, nan).map { $1 ? 0xFFFF : $0 } }
        #expect(masked(halves(.bf16)) == masked(r.bf16_bits))
        #expect(masked(halves(.f16)) == masked(r.f16_bits))
        #expect(zip(halves(.bf16), nan).allSatisfy { !$1 || ($0 & 0x7F80 == 0x7F80 && $0 & 0x7F != 0) })
        #expect(r.f32_bits.count == 64)
    }

    @Test("BF16 and F16 files written by us read back with the values torch rounds to")
    func halfPrecisionFiles() throws {
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = try Tensor([1.00390625, -2.5, 0.1, 65520, 1e-8], shape: [5])  // [5]
        let url = dir.appendingPathComponent("h.safetensors")
        try SafetensorsWriter.write([.init("bf", x, dtype: .bf16), .init("h", x, dtype: .f16)], to: url)
        let f = try SafetensorsFile(url: url)
        #expect(try f.entry("bf").dtype == "BF16" && f.entry("h").dtype == "F16")
        // By hand (and torch 2.15): 1.00390625 = 1 + 2^-8 is a BF16 tie → even (1.0); in F16 it is exact.
        // 0.1 → BF16 0x3DCD = 0.10009765625, F16 0x2E66 = 0.0999755859375; 65520 → F16 +inf; 1e-8 → F16 0.
        #expect(try f.tensor("bf").scalars == [1.0, -2.5, 0.10009765625, 65536, 1.0011717677116394e-08])
        #expect(try f.tensor("h").scalars == [1.00390625, -2.5, 0.0999755859375, .infinity, 0])
    }

    @Test("sharded save reproduces huggingface_hub's split: identical shard bytes, same index")
    func shardedMatchesHub() throws {
        let order = try FixturePaths.loadJSON(ShardedOrder.self, "models-io/sharded-order.json")
        let src = ModelsIO.fixture("sharded")
        let ckpt = try SafetensorsCheckpoint(directory: src)
        let entries = try order.order.map { SafetensorsWriter.Entry($0, try ckpt.tensor($0)) }
        #expect(SafetensorsWriter.shardPlan(entries, maxShardSize: order.max_shard_size).map(\.count) == [4, 3])
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let written = try SafetensorsWriter.writeCheckpoint(entries, to: dir, maxShardSize: order.max_shard_size)
        #expect(written == ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json"])
        for shard in written.prefix(2) {
            #expect(try Data(contentsOf: dir.appendingPathComponent(shard)) == Data(contentsOf: src.appendingPathComponent(shard)), "\(shard)")
        }
        let ours = try SafetensorsIndex(url: dir.appendingPathComponent(SafetensorsIndex.fileName))
        let theirs = try SafetensorsIndex(url: src.appendingPathComponent(SafetensorsIndex.fileName))
        #expect(ours.weightMap == theirs.weightMap && ours.totalSize == 1984 && theirs.totalSize == 1984)
        let text = try String(contentsOf: dir.appendingPathComponent(SafetensorsIndex.fileName), encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"metadata\": {\n    \"total_size\": 1984\n  },\n  \"weight_map\": {\n    \"lm_head.weight\": \"model-00002-of-00002.safetensors\",\n"))
    }

    @Test("hub split rule: a tensor over the limit gets its own shard and the open shard continues")
    func oversizedTensorShard() throws {
        func e(_ name: String, _ n: Int) -> SafetensorsWriter.Entry { .init(name, Tensor(zeros: [n])) }
        // Bytes 20, 400, 20, 20, 60 with limit 100 → [big], [a, c, d], [e] as in split_state_dict_into_shards_factory
        // (a+c+d = 60, then 60 + 60 > 100 opens a new shard).
        let plan = SafetensorsWriter.shardPlan([e("a", 5), e("big", 100), e("c", 5), e("d", 5), e("e", 15)], maxShardSize: 100)
        #expect(plan.map { $0.map(\.name) } == [["big"], ["a", "c", "d"], ["e"]])
    }

    @Test("switching between sharded and single-file saves removes the stale files the loader would pick")
    func staleFilesRemoved() throws {
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let entries = (0 ..< 3).map { SafetensorsWriter.Entry("w\($0)", Tensor(repeating: Float($0), shape: [4])) }
        try SafetensorsWriter.writeCheckpoint(entries, to: dir)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("keep"), withIntermediateDirectories: false)
        try SafetensorsWriter.writeCheckpoint(entries, to: dir, maxShardSize: 16)
        let sharded = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(sharded == ["keep", "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                            "model-00003-of-00003.safetensors", "model.safetensors.index.json"])
        #expect(try SafetensorsCheckpoint(directory: dir).tensor("w2").scalars == [2, 2, 2, 2])
        try SafetensorsWriter.writeCheckpoint(entries, to: dir)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["keep", "model.safetensors"])
    }

    @Test("writer refuses duplicate names and leaves no file behind on failure")
    func writerErrors() throws {
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("x.safetensors")
        let t = Tensor(zeros: [2])
        #expect(ModelsIO.error { try SafetensorsWriter.write([.init("a", t), .init("a", t)], to: url) }
            == .duplicateTensor(name: "a", files: [url.path]))
        let missingDir = dir.appendingPathComponent("nope/x.safetensors")
        guard case .writeFailed(let file, _)? = ModelsIO.error({ try SafetensorsWriter.write([.init("a", t)], to: missingDir) }) else {
            Issue.record("expected writeFailed"); return
        }
        #expect(file == missingDir.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test("JSON escaping follows serde_json in headers and Python's ensure_ascii in the index")
    func jsonEscaping() {
        #expect(JSONText.quoted("a\"b\\c\n\u{01}é") == "\"a\\\"b\\\\c\\n\\u0001é\"")
        #expect(JSONText.quoted("é😀\u{7F}", asciiOnly: true) == "\"\\u00e9\\ud83d\\ude00\\u007f\"")
    }
}
