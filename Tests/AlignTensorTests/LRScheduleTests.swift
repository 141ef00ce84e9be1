// Learning-rate schedules: boundary values worked out by hand from transformers' formulas, and
// the multiplier tables of Tests/Fixtures/optim/lr_schedules.json (transformers 5.23.0 +
// torch 2.15.0 LambdaLR, written by scripts/fixtures/optim_fixture.py) for steps 0…25.
import AlignTensor
import AlignTestSupport
import Foundation
import Testing

@Suite("learning-rate schedules")
struct LRScheduleTests {
    @Test("constant with warmup: 0 at step 0, k/W during warmup, 1 from step W on")
    func constantWarmup() {
        let s = LRSchedule.constantWithWarmup(warmupSteps: 5)
        #expect(s.multiplier(step: 0) == 0)
        #expect(s.multiplier(step: 1) == 0.2)
        #expect(s.multiplier(step: 4) == 0.8)
        #expect(s.multiplier(step: 5) == 1)
        #expect(s.multiplier(step: 1000) == 1)
        #expect(LRSchedule.constantWithWarmup(warmupSteps: 0).multiplier(step: 0) == 1)
        #expect(LRSchedule.constant.multiplier(step: 7) == 1)
    }

    @Test("linear: peaks at the end of warmup, reaches 0 at total and stays there")
    func linear() {
        let s = LRSchedule.linear(warmupSteps: 5, totalSteps: 20)
        #expect(s.multiplier(step: 0) == 0)
        #expect(s.multiplier(step: 4) == 0.8)
        #expect(s.multiplier(step: 5) == 1)
        #expect(s.multiplier(step: 10) == 10.0 / 15.0)  // (20 − 10) / (20 − 5)
        #expect(s.multiplier(step: 19) == 1.0 / 15.0)
        #expect(s.multiplier(step: 20) == 0)
        #expect(s.multiplier(step: 25) == 0)  // max(0, negative)
        // No warmup: starts at 1; warmup == total: max(1, 0) guards the division.
        #expect(LRSchedule.linear(warmupSteps: 0, totalSteps: 4).multiplier(step: 0) == 1)
        #expect(LRSchedule.linear(warmupSteps: 4, totalSteps: 4).multiplier(step: 4) == 0)
    }

    @Test("cosine: 1 after warmup, 1/2 at mid-decay, 0 at total, rising again after total")
    func cosine() {
        let s = LRSchedule.cosine(warmupSteps: 5, totalSteps: 25)
        #expect(s.multiplier(step: 2) == 0.4)
        #expect(s.multiplier(step: 5) == 1)
        // Mid-way, progress 1/2: 0.5·(1 + cos(π/2)), and cos(π/2) in Float64 is 6.1e-17.
        #expect(abs(s.multiplier(step: 15) - 0.5) < 1e-16)
        // Quarter-way: 0.5·(1 + cos(π/4)) = 0.8535533905932737.
        #expect(abs(s.multiplier(step: 10) - 0.8535533905932737) < 1e-15)
        #expect(s.multiplier(step: 25) == 0)
        // transformers does not clamp progress: past the end the half cosine turns back up.
        #expect(abs(s.multiplier(step: 35) - 0.5) < 1e-15)
        let full = LRSchedule.cosine(warmupSteps: 0, totalSteps: 8, numCycles: 1)
        #expect(full.multiplier(step: 8) == 1)  // one full cycle ends at the top again
    }

    struct Table: Decodable {
        let kind: String
        let warmup_steps: Int
        let total_steps: Int
        let multipliers: [Double]
    }
    struct Tables: Decodable {
        let base_lr: Double
        let tables: [Table]
    }

    @Test("multipliers match transformers + LambdaLR at steps 0…25 for edge warmup/total settings")
    func tablesMatchTransformers() throws {
        let fixture = try FixturePaths.loadJSON(Tables.self, "optim/lr_schedules.json")
        #expect(fixture.tables.count == 16)
        for t in fixture.tables {
            let schedule: LRSchedule
            switch t.kind {
            case "constant_with_warmup": schedule = .constantWithWarmup(warmupSteps: t.warmup_steps)
            case "linear": schedule = .linear(warmupSteps: t.warmup_steps, totalSteps: t.total_steps)
            case "cosine": schedule = .cosine(warmupSteps: t.warmup_steps, totalSteps: t.total_steps)
            case "cosine_1.5": schedule = .cosine(warmupSteps: t.warmup_steps, totalSteps: t.total_steps, numCycles: 1.5)
            default: Issue.record("unknown schedule kind \(t.kind)"); continue
            }
            let ours = (0 ..< t.multipliers.count).map { fixture.base_lr * schedule.multiplier(step: $0) }
            let report = compareClose(ours, t.multipliers, atol: 1e-15, rtol: 1e-14)
            #expect(report.passed, "\(t.kind) warmup \(t.warmup_steps) total \(t.total_steps): \(report)")
        }
    }

    @Test("LRScheduler applies λ(0) at once, then λ(k) after each step, to every group's base lr")
    func schedulerDrivesGroups() throws {
        let a = NamedParameter("a", Tensor(zeros: [2])), b = NamedParameter("b", Tensor(zeros: [2]))
        let opt = try SGD([ParameterGroup([a], lr: 0.1), ParameterGroup([b], lr: 0.01)])
        let sched = LRScheduler(opt, schedule: .linear(warmupSteps: 2, totalSteps: 4))
        #expect(sched.lastLRs == [0, 0])
        sched.step()
        #expect(sched.lastLRs == [0.1 * 0.5, 0.01 * 0.5])
        sched.step()
        #expect(sched.lastLRs == [0.1, 0.01])
        sched.step()
        #expect(sched.lastLRs == [0.1 * 0.5, 0.01 * 0.5])
        #expect(sched.currentStep == 3 && sched.baseLRs == [0.1, 0.01])
        // Resuming at step 3 from the saved base lrs gives the same lrs.
        let again = try LRScheduler(resuming: opt, schedule: sched.schedule, baseLRs: sched.baseLRs, step: 3)
        #expect(again.lastLRs == [0.1 * 0.5, 0.01 * 0.5])
        #expect(throws: TensorError.self) {
            try LRScheduler(resuming: opt, schedule: sched.schedule, baseLRs: [0.1], step: 3)
        }
    }
}
