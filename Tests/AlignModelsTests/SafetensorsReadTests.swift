// Reading safetensors against files written by the Python library: the shared tiny-llama
// checkpoint (values and float64 checksums from scripts/fixtures/make_safetensors_fixtures.py),
// the F32/BF16/F16 dtype file (bit-exact against torch's `.float()`), and integer tensors.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
@testable import AlignModels

@Suite("safetensors reading")
struct SafetensorsReadTests {
    static let tinyLlama = FixturePaths.shared("models/tiny-llama")

    @Test("tiny-llama tensors match safetensors 0.8.0: names, shapes, values, float64 checksums", arguments: [true, false])
    func tinyLlamaMatchesReference(mapping: Bool) throws {
        let ref = try FixturePaths.loadJSON(TinyLlamaReference.self, "models-io/tiny-llama-reference.json")
        let ckpt = try SafetensorsCheckpoint(directory: Self.tinyLlama, mapping: mapping)
        let file = try #require(ckpt.files.first)
        #expect(file.isMapped == mapping)
        #expect(file.metadata == ref.metadata)
        #expect(ckpt.names == ref.tensors.map(\.name))
        #expect(ref.tensors.count == 38)
        for r in ref.tensors {
            #expect(r.dtype == "float32")
            let t = try ckpt.tensor(r.name, expectedShape: r.shape)
            let v = t.scalars
            #expect(Array(v.prefix(8)) == r.first.map { Float($0) }, "\(r.name) first values")
            #expect(Array(v[r.middle_offset ..< r.middle_offset + r.middle.count]) == r.middle.map { Float($0) }, "\(r.name) middle")
            #expect(Array(v.suffix(4)) == r.last.map { Float($0) }, "\(r.name) last values")
            var sum = 0.0, sumSq = 0.0
            for x in v { sum += Double(x); sumSq += Double(x) * Double(x) }
            // Float64 sums of the same Float32 values; only the summation order differs.
            #expect(abs(sum - r.sum) <= 1e-9 * max(1, sumSq), "\(r.name) sum \(sum) vs \(r.sum)")
            #expect(abs(sumSq - r.sum_of_squares) <= 1e-10 * r.sum_of_squares, "\(r.name) sum of squares")
        }
    }

    /// Bit pattern with every NaN mapped to one value: NaN payloads differ between torch's
    /// vectorized conversions and ours and carry no meaning.
    static func canonicalBits(_ x: Float) -> UInt32 { x.isNaN ? 0x7FC0_0000 : x.bitPattern }

    @Test("F32, BF16 and F16 tensors convert bit-exactly to torch's float32 values (NaN as NaN)")
    func dtypeConversion() throws {
        let fx = try FixturePaths.loadJSON(DTypesFixture.self, "models-io/dtypes.json")
        let file = try SafetensorsFile(url: ModelsIO.fixture("dtypes.safetensors"))
        #expect(file.names == fx.tensors.map(\.name))
        for e in fx.tensors {
            #expect(try file.entry(e.name).dtype == e.dtype)
            let t = try file.tensor(e.name)
            #expect(t.shape == e.shape, "\(e.name)")
            #expect(t.scalars.map(Self.canonicalBits) == e.f32_bits.map { Self.canonicalBits(Float(bitPattern: $0)) }, "\(e.name)")
        }
        // Spot values by hand: BF16 3.140625 is exact, F16 subnormal 6e-8 rounds to 1 ulp = 2^-24.
        let bf = try file.tensor("a.bf16").scalars
        #expect(bf[2] == 1 && bf[3] == -2.5 && bf[4] == 3.140625 && bf[8] == .infinity && bf[10].isNaN)
        let h = try file.tensor("c.f16").scalars
        #expect(h[5] == 65504 && h[6] == 0x1p-24 && h[1].sign == .minus && h[1] == 0)
    }

    @Test("integer tensors are refused as Float32 by name and readable as integers")
    func integerTensors() throws {
        let url = ModelsIO.fixture("with-i64.safetensors")
        let file = try SafetensorsFile(url: url)
        #expect(ModelsIO.error { try file.tensor("position_ids") }
            == .unsupportedDType(file: url.path, tensor: "position_ids", dtype: "I64"))
        #expect(try file.integers("position_ids") == [0, 1, 2, 3])
        #expect(try file.tensor("weight").scalars == [1, 1, 1, 1])
        #expect(ModelsIO.error { try file.integers("weight") }
            == .unsupportedDType(file: url.path, tensor: "weight", dtype: "F32"))
    }

    @Test("a sharded checkpoint made by huggingface_hub loads through its index")
    func shardedLoad() throws {
        let order = try FixturePaths.loadJSON(ShardedOrder.self, "models-io/sharded-order.json")
        let ckpt = try SafetensorsCheckpoint(directory: ModelsIO.fixture("sharded"))
        #expect(ckpt.files.count == 2)
        #expect(ckpt.index?.totalSize == 1984)
        #expect(ckpt.names == order.order.sorted())
        #expect(try ckpt.file(containing: "model.norm.weight").path.hasSuffix("model-00002-of-00002.safetensors"))
        for name in order.order {
            let first = try #require(order.first[name])
            #expect(Array(try ckpt.tensor(name).scalars.prefix(4)) == first.map { Float($0) }, "\(name)")
        }
        let expected = Dictionary(uniqueKeysWithValues: try order.order.map { ($0, try ckpt.file(containing: $0).entry($0).shape) })
        let all = try ckpt.load(expected: expected, strict: true)
        #expect(all.count == 7 && all["lm_head.weight"]?.shape == [16, 8])
    }
}
