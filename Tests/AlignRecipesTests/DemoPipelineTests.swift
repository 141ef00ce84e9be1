// The shortened embedded demo: the bundled model, a slice of the bundled pairs and held-out data, a few DPO +
// LoRA steps — held-out ranking accuracy and CSR must both rise, and the run must be reproducible for a seed.
// Also the ACT loop for one short round on the bundled data: held-out CSR must rise.
import AlignRecipes
import Foundation
import Testing

@Suite(.serialized) struct DemoPipelineTests {
    static func shortSettings() -> DemoSettings {
        var s = DemoSettings()
        s.heldoutPairLimit = 48
        s.heldoutPromptLimit = 24
        s.trainPairLimit = 160
        s.training.training.maxSteps = 20
        s.training.training.warmupSteps = 2
        s.maxNewTokens = 32
        return s
    }

    @Test func shortDemoMovesBothMetricsTheRightWay() throws {
        let assets = try DemoAssets.bundled()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        let report = try DemoPipeline(assets: assets, settings: Self.shortSettings()).run(output: out) { _ in }
        #expect(report.aligned.rankingAccuracy > report.base.rankingAccuracy)
        #expect(report.aligned.csr > report.base.csr)
        #expect((report.aligned.rewardAccuracyVsBase ?? 0) > 0.5)
        #expect(report.steps.count == 20)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("adapter/adapter_model.safetensors").path))
        // Same seed, same figures.
        let again = try DemoPipeline(assets: assets, settings: Self.shortSettings()).run(output: out) { _ in }
        #expect(again.aligned == report.aligned)
        #expect(again.steps == report.steps)
    }
}
