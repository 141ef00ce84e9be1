// `ref_logps_cache_dir` in `align train dpo`: the first run computes and stores the reference log-probs, the second
// reads them (one cache file, keyed by reference weights and data) and trains to the same metrics and weights.
@testable import AlignCLI
import AlignTestSupport
import Foundation
import Testing

@Suite("align train dpo reference cache", .serialized)
struct TrainRefCacheTests {
    @Test func secondRunReadsTheCacheAndTrainsIdentically() throws {
        let cacheDir = try scratchDirectory().appendingPathComponent("ref-cache")
        let config = try scratchDirectory().appendingPathComponent("cfg.json")
        try Data("{\"ref_logps_cache_dir\": \"\(cacheDir.path)\"}".utf8).write(to: config)
        let a = try scratchDirectory(), b = try scratchDirectory()
        try TrainDPOCommand.parse(trainArgs(a, ["--config", config.path, "--max-steps", "2"])).run()
        let files = try FileManager.default.contentsOfDirectory(atPath: cacheDir.path)
        #expect(files.count == 1 && files[0].hasPrefix("ref-logps-"))
        let stamp = try FileManager.default.attributesOfItem(atPath: cacheDir.appendingPathComponent(files[0]).path)[.modificationDate] as? Date
        try TrainDPOCommand.parse(trainArgs(b, ["--config", config.path, "--max-steps", "2"])).run()
        // Read, not rewritten: still one file with the same modification time.
        #expect(try FileManager.default.contentsOfDirectory(atPath: cacheDir.path) == files)
        let stamp2 = try FileManager.default.attributesOfItem(atPath: cacheDir.appendingPathComponent(files[0]).path)[.modificationDate] as? Date
        #expect(stamp == stamp2)
        let la = try metricLines(a), lb = try metricLines(b)
        #expect(la.map { $0["loss"] as? Double } == lb.map { $0["loss"] as? Double } && la.count == 2)
        #expect(try Data(contentsOf: a.appendingPathComponent("model.safetensors"))
            == Data(contentsOf: b.appendingPathComponent("model.safetensors")))
    }
}
