// ReferenceLogpsCache: keys change with anything the reference log-probs depend on; stored values read back
// bit-identical; a damaged file is ignored and recomputed.
import AlignModels
import AlignTensor
import AlignTestSupport
import AlignTraining
import Foundation
import Testing

@Suite struct ReferenceLogpsCacheTests {
    let model: DecoderModel
    let data = [TokenizedPreference(prompt: [5, 6, 7], chosen: [8, 9], rejected: [10]),
                TokenizedPreference(prompt: [11], chosen: [12, 13, 14], rejected: [15, 16])]

    init() throws {
        model = try DecoderModel.load(directory: FixturePaths.packageRoot.appendingPathComponent("Sources/AlignRecipes/Resources/Demo/model"))
    }

    func tempDir() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("alignkit-refcache-\(UUID().uuidString)") }

    @Test func keyTracksWeightsDataPadAndBatch() throws {
        let k = ReferenceLogpsCache.key(reference: model, data: data, padID: 0, batchSize: 2)
        #expect(k.count == 32)
        #expect(k == ReferenceLogpsCache.key(reference: model, data: data, padID: 0, batchSize: 2))
        #expect(k != ReferenceLogpsCache.key(reference: model, data: data, padID: 1, batchSize: 2))
        #expect(k != ReferenceLogpsCache.key(reference: model, data: data, padID: 0, batchSize: 1))
        #expect(k == ReferenceLogpsCache.key(reference: model, data: data, padID: 0, batchSize: 2, sharePrompt: true))
        #expect(k != ReferenceLogpsCache.key(reference: model, data: data, padID: 0, batchSize: 2, sharePrompt: false))
        var other = data
        other[1].rejected = [15, 17]
        #expect(k != ReferenceLogpsCache.key(reference: model, data: other, padID: 0, batchSize: 2))
        // One weight's last bit flipped.
        let w = model.namedParameters()[3].1
        let old = w.scalars[7]
        w.withUnsafeMutableBuffer { $0[7] = Float(bitPattern: $0[7].bitPattern ^ 1) }
        #expect(k != ReferenceLogpsCache.key(reference: model, data: data, padID: 0, batchSize: 2))
        w.withUnsafeMutableBuffer { $0[7] = old }
        #expect(k == ReferenceLogpsCache.key(reference: model, data: data, padID: 0, batchSize: 2))
    }

    @Test func hashSeparatesUpdates() {
        var a = ContentHash(), b = ContentHash()
        a.update("ab"); a.update("c")
        b.update("a"); b.update("bc")
        #expect(a.hex != b.hex)
    }

    @Test func storedValuesReadBackBitIdenticalAndDamageIsIgnored() throws {
        let cache = ReferenceLogpsCache(directory: tempDir())
        let values: [(Float, Float)] = [(-41.560806, -65.53921), (Float.leastNonzeroMagnitude, -1e-30), (-0.1, 3.4028235e38)]
        var calls = 0
        let first = try cache.logps(key: "k1", count: 3) { calls += 1; return values }
        let second = try cache.logps(key: "k1", count: 3) { calls += 1; return [] }
        #expect(!first.hit && second.hit && calls == 1)
        for (x, y) in zip(second.values, values) {
            #expect(x.0.bitPattern == y.0.bitPattern && x.1.bitPattern == y.1.bitPattern)
        }
        #expect(cache.load(key: "k1", count: 4) == nil)  // count mismatch: not trusted
        try Data("{\"key\": \"k1\", \"count\": 3, \"chos".utf8).write(to: cache.directory.appendingPathComponent("ref-logps-k1.json"))
        #expect(cache.load(key: "k1", count: 3) == nil)
        let third = try cache.logps(key: "k1", count: 3) { calls += 1; return values }
        #expect(!third.hit && calls == 2)
    }
}
