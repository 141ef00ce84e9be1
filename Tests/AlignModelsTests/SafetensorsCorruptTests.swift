// Corrupt and mismatched checkpoints: each failure mode gives its typed error naming the file and
// the tensor, and fuzz-style sweeps (every truncation length, seeded byte flips, random headers)
// show that no input crashes the reader — it either loads or throws AlignModelsError.
import Foundation
import Testing
import AlignTensor
@testable import AlignModels

@Suite("safetensors corrupt and mismatched files")
struct SafetensorsCorruptTests {
    /// Two tensors: a = F32 [2] at 0..<8, b = F16 [2] at 8..<12.
    static let goodHeader = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[2],"data_offsets":[8,12]}}"#
    static let goodData: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0x00, 0x3C, 0x00, 0xBC]  // 1, -2 | 1, -1

    /// Opens a file made of `header` and `data`, returning the error (nil if it opened and read).
    func openError(header: String, data: [UInt8] = goodData) throws -> (AlignModelsError?, String) {
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try ModelsIO.file(header: header, data: data, in: dir)
        return (ModelsIO.error { try SafetensorsFile(url: url).names.map { try SafetensorsFile(url: url).tensor($0) } }, url.path)
    }

    @Test("the well-formed base file reads as expected")
    func baseFile() throws {
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = try SafetensorsFile(url: ModelsIO.file(header: Self.goodHeader, data: Self.goodData, in: dir))
        #expect(try f.tensor("a").scalars == [1, -2] && f.tensor("b").scalars == [1, -1])
        #expect(f.metadata == nil)
    }

    @Test("truncated before or inside the 8-byte length, or inside the header")
    func truncations() throws {
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.safetensors")
        try Data([1, 2, 3]).write(to: url)
        #expect(ModelsIO.error { try SafetensorsFile(url: url) }
            == .truncatedFile(file: url.path, size: 3, needed: 8, what: "the 8-byte header length"))
        try Data([200, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8)).write(to: url)
        #expect(ModelsIO.error { try SafetensorsFile(url: url) }
            == .truncatedFile(file: url.path, size: 10, needed: 208, what: "the 200-byte JSON header"))
        try Data([0, 0, 0, 0, 0, 0, 0, 1]).write(to: url)  // 2^56
        #expect(ModelsIO.error { try SafetensorsFile(url: url) }
            == .headerTooLarge(file: url.path, headerLength: 1 << 56, limit: 100_000_000))
    }

    @Test("data section cut short names the tensor that does not fit")
    func truncatedData() throws {
        let (e, path) = try openError(header: Self.goodHeader, data: Array(Self.goodData.prefix(10)))
        let headerEnd = 8 + Self.goodHeader.utf8.count
        #expect(e == .truncatedFile(file: path, size: headerEnd + 10, needed: headerEnd + 12, what: "tensor 'b'"))
    }

    @Test("invalid JSON, non-object header, bad entries", arguments: [
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#, "JSON error"),
        ("[1, 2]", "not a JSON object"),
        (#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, "non-negative"),
        (#"{"a":{"dtype":"F32","data_offsets":[0,8]}}"#, "missing 'shape'"),
        (#"{"a":{"dtype":7,"shape":[2],"data_offsets":[0,8]}}"#, "'dtype' is not a string"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#, "has 1 numbers"),
        (#"{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#, "non-negative integers"),
        (#"{"__metadata__":{"format":1},"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#, "is not a string"),
        (#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,12]}}"#, "overflows"),
        (String(repeating: "[", count: 200), "nesting deeper"),
        (#"{"a\ud800":{}}"#, "surrogate"),
    ])
    func invalidHeaders(header: String, reason: String) throws {
        let (e, path) = try openError(header: header, data: [UInt8](repeating: 0, count: 12))
        guard case let .invalidHeader(file, message)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(file == path)
        #expect(message.contains(reason), "\(message)")
    }

    @Test("unknown dtype, byte size not matching shape × dtype, offsets reversed")
    func entryMismatches() throws {
        var (e, path) = try openError(header: #"{"a":{"dtype":"F33","shape":[3],"data_offsets":[0,12]}}"#)
        #expect(e == .unknownDType(file: path, tensor: "a", dtype: "F33"))
        (e, path) = try openError(header: #"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#)
        #expect(e == .byteSizeMismatch(file: path, tensor: "a", shape: [2, 2], dtype: "F32", expectedBytes: 16, actualBytes: 12))
        (e, path) = try openError(header: #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[12,0]}}"#)
        #expect(e == .invalidOffsets(file: path, tensor: "a", reason: "begin 12 > end 0"))
    }

    @Test("overlapping tensors, gaps, trailing bytes, duplicate names")
    func layoutErrors() throws {
        var (e, path) = try openError(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#)
        #expect(e == .overlappingTensors(file: path, first: "a", second: "b"))
        (e, path) = try openError(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#)
        #expect(e == .invalidOffsets(file: path, tensor: "b", reason: "starts at 8, leaving a gap after byte 4"))
        (e, path) = try openError(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#)
        #expect(e == .invalidHeader(file: path, reason: "data section has 12 bytes but the tensors cover 8"))
        (e, path) = try openError(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#)
        #expect(e == .duplicateTensor(name: "a", files: [path, path]))
    }

    @Test("missing, unexpected (strict) and mis-shaped tensors when loading a model's expected set")
    func expectationErrors() throws {
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try ModelsIO.file(header: Self.goodHeader, data: Self.goodData, in: dir)
        let ckpt = try SafetensorsCheckpoint(directory: dir)
        #expect(ModelsIO.error { try ckpt.load(expected: ["a": [2], "c": [1]]) } == .missingTensor(name: "c", file: url.path))
        #expect(ModelsIO.error { try ckpt.load(expected: ["a": [2]], strict: true) } == .unexpectedTensors(names: ["b"], file: url.path))
        #expect(try ckpt.load(expected: ["a": [2]], strict: false)["a"]?.scalars == [1, -2])
        #expect(ModelsIO.error { try ckpt.load(expected: ["a": [1, 2], "b": [2]]) }
            == .shapeMismatch(tensor: "a", file: url.path, expected: [1, 2], actual: [2]))
        #expect(ModelsIO.error { try ckpt.tensor("zz") } == .missingTensor(name: "zz", file: url.path))
    }

    @Test("folder without weights lists what it found; index problems name the index")
    func folderAndIndexErrors() throws {
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{}".utf8).write(to: dir.appendingPathComponent("config.json"))
        try Data([0]).write(to: dir.appendingPathComponent("pytorch_model.bin"))
        #expect(ModelsIO.error { try SafetensorsCheckpoint(directory: dir) }
            == .noCheckpoint(directory: dir.path, found: ["config.json", "pytorch_model.bin"]))
        let index = dir.appendingPathComponent(SafetensorsIndex.fileName)
        func indexError(_ text: String) throws -> AlignModelsError? {
            try Data(text.utf8).write(to: index)
            return ModelsIO.error { try SafetensorsCheckpoint(directory: dir) }
        }
        #expect(try indexError(#"{"weight_map":{"a":"model-00001-of-00002.safetensors"}}"#)
            == .invalidIndex(file: index.path, reason: "shard 'model-00001-of-00002.safetensors' (holding 'a') does not exist"))
        #expect(try indexError(#"{"weight_map":{"a":"../model.safetensors"}}"#)
            == .invalidIndex(file: index.path, reason: "shard '../model.safetensors' for 'a' is not a plain file name"))
        #expect(try indexError(#"{"weight_map":{"a":"s.safetensors","a":"s.safetensors"}}"#) == .duplicateTensor(name: "a", files: [index.path, index.path]))
        #expect(try indexError(#"{"metadata":{}}"#) == .invalidIndex(file: index.path, reason: "'weight_map' is missing or not an object"))
        // A shard that lacks a mapped tensor, and one that declares an unmapped tensor.
        let shard = try ModelsIO.file(header: Self.goodHeader, data: Self.goodData, in: dir, name: "s.safetensors")
        #expect(try indexError(#"{"weight_map":{"a":"s.safetensors","b":"s.safetensors","c":"s.safetensors"}}"#)
            == .missingTensor(name: "c", file: shard.path))
        #expect(try indexError(#"{"weight_map":{"a":"s.safetensors"}}"#)
            == .invalidIndex(file: index.path, reason: "shard s.safetensors declares 'b', which the weight_map does not list"))
        #expect(try indexError(#"{"weight_map":{"a":"s.safetensors","b":"s.safetensors"}}"#) == nil)
    }

    @Test("a tensor declared by two shards is a duplicate naming both files")
    func duplicateAcrossShards() throws {
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = try ModelsIO.file(header: Self.goodHeader, data: Self.goodData, in: dir, name: "s1.safetensors")
        let two = try ModelsIO.file(header: Self.goodHeader, data: Self.goodData, in: dir, name: "s2.safetensors")
        try Data(#"{"weight_map":{"a":"s1.safetensors","b":"s2.safetensors"}}"#.utf8).write(to: dir.appendingPathComponent(SafetensorsIndex.fileName))
        #expect(ModelsIO.error { try SafetensorsCheckpoint(directory: dir) } == .duplicateTensor(name: "a", files: [one.path, two.path]))
    }

    @Test("fuzz: every truncation, 2,000 seeded byte corruptions and 500 random headers never crash")
    func fuzz() throws {
        let dir = try ModelsIO.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = [UInt8](try Data(contentsOf: ModelsIO.fixture("dtypes.safetensors")))
        let url = dir.appendingPathComponent("f.safetensors")
        var outcomes = [0, 0]  // [loaded, typed error]
        func attempt(_ bytes: [UInt8]) throws {
            try Data(bytes).write(to: url)
            do {
                let f = try SafetensorsFile(url: url, mapping: bytes.count % 2 == 0)
                for n in f.names where f.entries.first(where: { $0.name == n })?.floatDType != nil { _ = try f.tensor(n) }
                outcomes[0] += 1
            } catch is AlignModelsError {
                outcomes[1] += 1
            }
        }
        for n in 0 ..< good.count { try attempt(Array(good.prefix(n))) }
        #expect(outcomes == [0, good.count])  // every proper prefix is an error
        var rng = SplitMix64(state: 42)
        for _ in 0 ..< 2000 {
            var b = good
            for _ in 0 ..< Int.random(in: 1 ... 3, using: &rng) {
                let i = Int.random(in: 0 ..< min(b.count, 8 + 416), using: &rng)  // the length and the header
                b[i] = UInt8.random(in: 0 ... 255, using: &rng)
            }
            try attempt(b)
        }
        let alphabet = Array(#"{}[]":,0123456789-.eE abcdFIU_"#.utf8)
        for _ in 0 ..< 500 {
            let h = (0 ..< Int.random(in: 0 ..< 64, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 0x20 }
            var b = [UInt8](repeating: 0, count: 8)
            b[0] = UInt8(h.count)
            try attempt(b + h + [UInt8](repeating: 0, count: Int.random(in: 0 ..< 16, using: &rng)))
        }
        #expect(outcomes[0] + outcomes[1] == good.count + 2500)
        #expect(outcomes[1] > 2000)  // nearly all corruptions are caught as typed errors
    }
}
