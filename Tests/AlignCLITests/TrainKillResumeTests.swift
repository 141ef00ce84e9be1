// SIGKILL mid-training, then resume (issue 5, done-when 3): the built `align` executable (the sibling of
// this test binary; `swift test` builds every product) trains DPO on the tiny Llama
// (../shared/data/models/tiny-llama) with 4 hh-rlhf rows, shuffled (seeded), a checkpoint every step.
// One run goes uninterrupted in its own process. The other is killed with SIGKILL as soon as
// checkpoint-2 exists — a real kill of a separate process, so nothing in it gets to clean up — then
// `align train dpo --resume-from-checkpoint <its last checkpoint>` continues it in the same output_dir.
// Every checkpoint folder the kill left must be complete (checkpoints are written under a temporary name
// and renamed), and the resumed run must end with model.safetensors byte-identical to the uninterrupted
// run's, with the same per-step losses in metrics.jsonl.
import AlignModels
import AlignTestSupport
import Foundation
import Testing

@Suite("align train dpo survives SIGKILL", .serialized)
struct TrainKillResumeTests {
    static let maxSteps = 5

    /// The `align` executable built beside this test binary.
    static func alignExecutable() throws -> URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = testBinary.deletingLastPathComponent()
        // On macOS the tests run inside AlignKitPackageTests.xctest/Contents/MacOS.
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "MacOS" || dir.lastPathComponent == "Contents" {
            dir = dir.deletingLastPathComponent()
        }
        let url = dir.appendingPathComponent("align")
        try #require(FileManager.default.isExecutableFile(atPath: url.path),
                     "no align executable at \(url.path): build the align product (swift test builds it)")
        return url
    }

    static func args(_ out: URL, _ extra: [String] = []) -> [String] {
        ["train", "dpo", "--model", FixturePaths.shared("models/tiny-llama").path,
         "--data", FixturePaths.fixture("data/hh_rlhf_short4.jsonl").path, "--output-dir", out.path,
         "--max-steps", "\(maxSteps)", "--per-device-train-batch-size", "2", "--max-length", "64",
         "--learning-rate", "1e-3", "--save-steps", "1", "--seed", "7", "--logging-steps", "100"] + extra
    }

    static func launch(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = try alignExecutable()
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// The `checkpoint-N` folders in `dir`, by N (temporary `.tmp-checkpoint-…` folders are not checkpoints).
    static func checkpoints(in dir: URL) throws -> [(step: Int, url: URL)] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).compactMap { name in
            guard name.hasPrefix("checkpoint-"), let n = Int(name.dropFirst("checkpoint-".count)) else { return nil }
            return (n, dir.appendingPathComponent(name))
        }.sorted { $0.step < $1.step }
    }

    @Test("killed with SIGKILL after a checkpoint and resumed, the final weights equal an uninterrupted run's")
    func killAndResume() throws {
        let straight = try scratchDirectory(), killed = try scratchDirectory()
        let reference = try Self.launch(Self.args(straight))

        let victim = try Self.launch(Self.args(killed))
        let marker = killed.appendingPathComponent("checkpoint-2/trainer_state.json")
        while victim.isRunning && !FileManager.default.fileExists(atPath: marker.path) { usleep(2_000) }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal && victim.terminationStatus == SIGKILL)
        // Killed mid-training: the final model was never written.
        #expect(!FileManager.default.fileExists(atPath: killed.appendingPathComponent("model.safetensors").path))

        // Whatever the kill interrupted, every checkpoint-N present is complete and readable.
        let left = try Self.checkpoints(in: killed)
        #expect(left.count >= 2 && left.count < Self.maxSteps)
        for (step, url) in left {
            _ = try SafetensorsFile(url: url.appendingPathComponent("model.safetensors"))
            _ = try SafetensorsFile(url: url.appendingPathComponent("optimizer.safetensors"))
            let state = try JSONSerialization.jsonObject(with: Data(contentsOf: url.appendingPathComponent("trainer_state.json")))
            let trainer = try #require((state as? [String: Any])?["trainer"] as? [String: Any])
            #expect(trainer["step"] as? Int == step)
        }
        let last = try #require(left.last)
        let resumed = try Self.launch(Self.args(killed, ["--resume-from-checkpoint", last.url.path]))
        resumed.waitUntilExit()
        reference.waitUntilExit()
        #expect(resumed.terminationReason == .exit && resumed.terminationStatus == 0)
        #expect(reference.terminationReason == .exit && reference.terminationStatus == 0)

        let a = try Data(contentsOf: straight.appendingPathComponent("model.safetensors"))
        let b = try Data(contentsOf: killed.appendingPathComponent("model.safetensors"))
        #expect(a.count > 1_000_000 && a == b)
        let lossesA = try metricLines(straight).compactMap { $0["loss"] as? Double }
        let lossesB = try metricLines(killed).compactMap { $0["loss"] as? Double }
        #expect(lossesA.count == Self.maxSteps && lossesA == lossesB)
    }
}
