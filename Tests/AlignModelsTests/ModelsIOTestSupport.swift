// Helpers for the safetensors and config tests: fixture decoding, temporary folders, hand-made
// safetensors files (for corruption tests), and a seeded generator for the fuzz-style tests.
// Fixtures come from scripts/fixtures/make_safetensors_fixtures.py (Tests/Fixtures/models-io/).
import Foundation
import AlignTestSupport
@testable import AlignModels

enum ModelsIO {
    static func fixture(_ name: String) -> URL { FixturePaths.fixture("models-io").appendingPathComponent(name) }

    /// A fresh empty folder under the system temp dir.
    static func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("alignmodels-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A safetensors file from a header text and data bytes (header not padded unless the text is).
    static func file(header: String, data: [UInt8], in dir: URL, name: String = "model.safetensors") throws -> URL {
        var bytes = [UInt8](repeating: 0, count: 8)
        let h = Array(header.utf8)
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: UInt64(h.count).littleEndian, as: UInt64.self) }
        let url = dir.appendingPathComponent(name)
        try Data(bytes + h + data).write(to: url)
        return url
    }

    /// The error `body` throws, as AlignModelsError (nil when it does not throw or throws another type).
    static func error<T>(_ body: () throws -> T) -> AlignModelsError? {
        do { _ = try body(); return nil } catch let e as AlignModelsError { return e } catch { return nil }
    }
}

/// tiny-llama-reference.json
struct TinyLlamaReference: Decodable {
    struct Entry: Decodable {
        let name: String
        let dtype: String
        let shape: [Int]
        let first: [Double]
        let middle_offset: Int
        let middle: [Double]
        let last: [Double]
        let sum: Double
        let sum_of_squares: Double
    }
    let metadata: [String: String]
    let header_length: Int
    let file_size: Int
    let tensors: [Entry]
}

/// dtypes.json
struct DTypesFixture: Decodable {
    struct Entry: Decodable {
        let name: String
        let dtype: String
        let shape: [Int]
        let f32_bits: [UInt32]
    }
    struct Rounding: Decodable {
        let f32_bits: [UInt32]
        let bf16_bits: [UInt16]
        let f16_bits: [UInt16]
    }
    let tensors: [Entry]
    let rounding: Rounding
}

/// sharded-order.json
struct ShardedOrder: Decodable {
    let order: [String]
    let max_shard_size: Int
    let first: [String: [Double]]
}

/// SplitMix64: a tiny seeded generator so fuzz cases are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
