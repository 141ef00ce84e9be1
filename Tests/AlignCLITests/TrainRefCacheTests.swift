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

@Suite("align train dpo ref_model", .serialized)
struct TrainRefModelTests {
    @Test func refModelIsTheReference() throws {
        // The policy's own folder as ref_model gives the default run's first loss, ln 2.
        let same = try scratchDirectory().appendingPathComponent("same.json")
        try Data("{\"ref_model\": \"\(FixturePaths.shared("models/tiny-llama").path)\"}".utf8).write(to: same)
        let a = try scratchDirectory()
        try TrainDPOCommand.parse(trainArgs(a, ["--config", same.path, "--max-steps", "1"])).run()
        #expect(abs((try metricLines(a).first?["loss"] as? Double ?? 0) - log(2)) < 1e-6)
        // A trained model (run a's output) as the reference: policy ≠ reference, so the first loss is not ln 2.
        let other = try scratchDirectory().appendingPathComponent("other.json")
        try Data("{\"ref_model\": \"\(a.path)\"}".utf8).write(to: other)
        let b = try scratchDirectory()
        try TrainDPOCommand.parse(trainArgs(b, ["--config", other.path, "--max-steps", "1"])).run()
        let first = try metricLines(b).first?["loss"] as? Double ?? 0
        #expect(abs(first - log(2)) > 1e-4)
        // A missing reference folder is an error before training.
        let bad = try scratchDirectory().appendingPathComponent("bad.json")
        try Data("{\"ref_model\": \"/nonexistent-ref\"}".utf8).write(to: bad)
        #expect(throws: (any Error).self) { try TrainDPOCommand.parse(trainArgs(try scratchDirectory(), ["--config", bad.path])).run() }
    }
}
