// `align merge`: a LoRA adapter folded into its base gives the adapted model's logits; a soup is the weighted
// average of its checkpoints' parameters. On the bundled demo model (2.4M parameters).
import AlignModels
import AlignTensor
import AlignTestSupport
import Foundation
import Testing
@testable import AlignCLI

@Suite struct MergeCommandTests {
    let base = FixturePaths.packageRoot.appendingPathComponent("Sources/AlignRecipes/Resources/Demo/model")

    func tempDir(_ name: String) throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("alignkit-merge-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? .infinity }

    @Test func adapterMergeReproducesTheAdaptedLogits() throws {
        let adapted = try DecoderModel.load(directory: base)
        try adapted.attachLoRA(targets: ["q_proj", "v_proj", "down_proj"], rank: 4, alpha: 8, seed: 3)
        var g = RandomGenerator(seed: 9)
        for (_, p) in adapted.loraParameters() {  // B starts at 0: give every adapter weight a value
            p.withUnsafeMutableBuffer { d in for i in 0 ..< d.count { d[i] = 0.05 * (g.nextUniform() - 0.5) } }
        }
        let adapterDir = try tempDir("adapter"), out = try tempDir("out")
        try adapted.saveLoRA(to: adapterDir)
        let message = try MergeCommand.parse(["--model", base.path, "--adapter", adapterDir.path, "--out", out.path]).output()
        #expect(message.contains("r 4"))
        let merged = try DecoderModel.load(directory: out)
        let ids: [[Int32]] = [[5, 17, 300, 42, 9, 1000, 77]]
        let want = try adapted.logits(ids).scalars, got = try merged.logits(ids).scalars
        let plain = try DecoderModel.load(directory: base).logits(ids).scalars
        #expect(maxAbsDiff(got, want) < 1e-4)
        #expect(maxAbsDiff(plain, want) > 1e-2)  // the adapter changes the output, so the check above means something
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("tokenizer.json").path))
    }

    @Test func soupIsTheWeightedAverage() throws {
        let other = try DecoderModel.load(directory: base)
        var g = RandomGenerator(seed: 1)
        for (_, p) in other.namedParameters() {
            p.withUnsafeMutableBuffer { d in for i in 0 ..< d.count { d[i] += 0.1 * (g.nextUniform() - 0.5) } }
        }
        let otherDir = try tempDir("other"), out = try tempDir("soup")
        try TrainRunFiles.saveFinalModel(other, from: base, to: otherDir, chatTemplateSource: nil)
        _ = try MergeCommand.parse(["--soup", "\(base.path):1", "\(otherDir.path):3", "--out", out.path]).output()
        let soup = try DecoderModel.load(directory: out), a = try DecoderModel.load(directory: base)
        for ((name, s), ((_, x), (_, y))) in zip(soup.namedParameters(), zip(a.namedParameters(), other.namedParameters())) {
            let want = zip(x.scalars, y.scalars).map { 0.25 * $0 + 0.75 * $1 }
            #expect(maxAbsDiff(s.scalars, want) < 1e-6, "\(name)")
        }
    }

    @Test func badArgumentsAreRejected() throws {
        #expect(throws: (any Error).self) { try MergeCommand.parse(["--soup", base.path, "--out", "/tmp/x"]) }
        #expect(throws: (any Error).self) { try MergeCommand.parse(["--model", base.path, "--out", "/tmp/x"]) }
        #expect(throws: (any Error).self) {
            try MergeCommand.parse(["--soup", "\(base.path):-1", "\(base.path)", "--out", "/tmp/x"]).output()
        }
        #expect(throws: (any Error).self) {
            try MergeCommand.parse(["--model", base.path, "--adapter", "/nonexistent", "--out", "/tmp/x"]).output()
        }
    }
}

/// StagedFolder: the output appears only when complete; a failure leaves the folder as it was.
@Suite struct StagedFolderTests {
    func scratch() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("alignkit-staged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    struct Boom: Error {}

    @Test func failedWriteLeavesNothingBehind() throws {
        let root = try scratch(), out = root.appendingPathComponent("model")
        #expect(throws: Boom.self) {
            try StagedFolder.write(to: out) { dir in
                try Data("half".utf8).write(to: dir.appendingPathComponent("model.safetensors"))
                throw Boom()
            }
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)  // staging folder removed
    }

    @Test func existingFolderKeepsOldFilesUntilTheNewOnesAreComplete() throws {
        let root = try scratch(), out = root.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: out.appendingPathComponent("config.json"))
        try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
        #expect(throws: Boom.self) {
            try StagedFolder.write(to: out) { dir in
                try Data("new".utf8).write(to: dir.appendingPathComponent("config.json"))
                throw Boom()
            }
        }
        #expect(try String(contentsOf: out.appendingPathComponent("config.json"), encoding: .utf8) == "old")
        try StagedFolder.write(to: out) { dir in
            try Data("new".utf8).write(to: dir.appendingPathComponent("config.json"))
            try Data("w".utf8).write(to: dir.appendingPathComponent("model.safetensors"))
        }
        #expect(try String(contentsOf: out.appendingPathComponent("config.json"), encoding: .utf8) == "new")
        #expect(try String(contentsOf: out.appendingPathComponent("model.safetensors"), encoding: .utf8) == "w")
        #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["model"])
    }
}
