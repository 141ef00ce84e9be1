// Diagnostics against transformers (scripts/fixtures/diagnostics_fixture.py) on the bundled demo model:
// CHES / LN-CHES, top-k mass and entropy, gradient entanglement; plus the likelihood-displacement monitor on
// hand-made step logs.
import AlignModels
import AlignTestSupport
@testable import AlignTraining
import Foundation
import Testing

struct DiagnosticsFixture: Decodable {
    struct Case: Decodable {
        var prompt: [Int32], chosen: [Int32], rejected: [Int32]
        var ches: Double, ln_ches: Double
        var topk_mass: [Double], topk_entropy: [Double]
        var grad_inner: Double, grad_norm_chosen: Double, grad_norm_rejected: Double, grad_cosine: Double, grad_ratio: Double
    }
    var k: Int
    var cases: [Case]
}

private func close(_ a: Double, _ b: Double, rel: Double, abs: Double = 0) -> Bool {
    Swift.abs(a - b) <= max(rel * Swift.abs(b), abs)
}

@Suite struct DiagnosticsParityTests {
    let fixture: DiagnosticsFixture
    let model: DecoderModel

    init() throws {
        fixture = try FixturePaths.loadJSON(DiagnosticsFixture.self, "diagnostics/diagnostics.json")
        model = try DecoderModel.load(directory: FixturePaths.packageRoot
            .appendingPathComponent("Sources/AlignRecipes/Resources/Demo/model"))
    }

    func pair(_ c: DiagnosticsFixture.Case) -> TokenizedPreference {
        TokenizedPreference(prompt: c.prompt, chosen: c.chosen, rejected: c.rejected)
    }

    @Test func chesMatchesTransformers() throws {
        for c in fixture.cases {
            let s = try PreferenceDiagnostics.ches(model, pair(c))
            // CHES is a difference of sums of ~10 hidden vectors of norm ~15: compare relative to ‖H⁺‖²-scale terms.
            #expect(close(s.ches, c.ches, rel: 1e-4, abs: 1e-2), "CHES \(s.ches) vs \(c.ches)")
            #expect(close(s.lengthNormalized, c.ln_ches, rel: 1e-4, abs: 1e-3), "LN-CHES \(s.lengthNormalized) vs \(c.ln_ches)")
        }
    }

    @Test func topKIndicatorsMatchTransformers() throws {
        for c in fixture.cases {
            for (i, completion) in [c.chosen, c.rejected].enumerated() {
                let t = try PreferenceDiagnostics.topK(model, prompt: c.prompt, completion: completion, k: fixture.k)
                #expect(close(t.mass, c.topk_mass[i], rel: 1e-4), "mass \(t.mass) vs \(c.topk_mass[i])")
                #expect(close(t.entropy, c.topk_entropy[i], rel: 1e-5), "entropy \(t.entropy) vs \(c.topk_entropy[i])")
            }
        }
    }

    @Test func gradientEntanglementMatchesTorch() throws {
        for c in fixture.cases {
            let e = try PreferenceDiagnostics.entanglement(model, pair(c))
            #expect(close(e.chosenNorm, c.grad_norm_chosen, rel: 1e-4), "‖∇⁺‖ \(e.chosenNorm) vs \(c.grad_norm_chosen)")
            #expect(close(e.rejectedNorm, c.grad_norm_rejected, rel: 1e-4), "‖∇⁻‖ \(e.rejectedNorm) vs \(c.grad_norm_rejected)")
            #expect(close(e.inner, c.grad_inner, rel: 1e-3), "⟨∇⁺,∇⁻⟩ \(e.inner) vs \(c.grad_inner)")
            #expect(close(e.ratio, c.grad_ratio, rel: 1e-3), "ratio \(e.ratio) vs \(c.grad_ratio)")
        }
        // The model is left as it was: loaded weights stay frozen.
        #expect(model.namedParameters().allSatisfy { !$0.1.requiresGrad && $0.1.grad == nil })
    }

    @Test func rejectsEmptyCompletion() {
        #expect(throws: TrainingError.self) {
            try PreferenceDiagnostics.ches(model, TokenizedPreference(prompt: [5, 6], chosen: [], rejected: [7]))
        }
    }
}

@Suite struct LikelihoodDisplacementTests {
    func log(_ step: Int, chosen: Double, margin: Double) -> StepLog {
        StepLog(step: step, epoch: 0, loss: 0.6, learningRate: 1e-6, gradNorm: 1,
                metrics: ["rewards/chosen": chosen, "rewards/margins": margin])
    }

    @Test func warnsOnceWhenChosenFallsWhileMarginGrows() {
        var m = LikelihoodDisplacementMonitor(smoothing: 0.5, warmupSteps: 3, tolerance: 1e-3)
        // Healthy start: both rewards up.
        do { let warned = m.observe(log(1, chosen: 0.02, margin: 0.03)); #expect(!warned) }
        do { let warned = m.observe(log(2, chosen: 0.01, margin: 0.05)); #expect(!warned) }
        // Chosen turns negative; EMA: 0.02 → 0.015 → (0.015 − 0.04)/2 = −0.0125 at step 3.
        do { let warned = m.observe(log(3, chosen: -0.04, margin: 0.09)); #expect(warned) }
        #expect(m.firstDisplacedStep == 3)
        #expect(Swift.abs((m.chosenReward ?? 0) - -0.0125) < 1e-12)
        do { let warned = m.observe(log(4, chosen: -0.08, margin: 0.2)); #expect(!warned) }  // warned once
        #expect(m.isDisplaced)
        #expect(m.warning().contains("step 3"))
    }

    @Test func noWarningWhileChosenRises() {
        var m = LikelihoodDisplacementMonitor(smoothing: 0.5, warmupSteps: 2)
        for s in 1 ... 10 { let warned = m.observe(log(s, chosen: 0.01 * Double(s), margin: 0.02 * Double(s))); #expect(!warned) }
        // Missing metrics (e.g. an SFT run) are ignored.
        do { let warned = m.observe(StepLog(step: 11, epoch: 0, loss: 1, learningRate: 0, gradNorm: 0, metrics: [:])); #expect(!warned) }
        #expect(m.steps == 10 && m.firstDisplacedStep == nil)
    }
}
