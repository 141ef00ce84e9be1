// AdamW, SGD, clip_grad_norm_ and the schedules against torch.optim over 20 steps.
// Witness: Tests/Fixtures/optim/optim_trajectories.json from scripts/fixtures/optim_fixture.py
// (torch 2.15.0, transformers 5.23.0): 8 optimizer configs × 4 schedules = 32 cases.
import AlignTensor
import AlignTestSupport
import Testing

@Suite("optimizers match torch.optim")
struct OptimParityTests {
    /// The bar from the issue: parameters within 1e-6 relative of torch's at every step.
    static let rtol = 1e-6

    /// Worst relative differences of one replayed case against the fixture.
    struct CaseReport {
        var params = 0.0, lrs = 0.0, norms = 0.0
        var failures: [String] = []
    }

    func compare(_ run: OptimRun, _ c: OptimFixture.Case, steps: Range<Int>) -> CaseReport {
        var rep = CaseReport()
        for (i, s) in steps.enumerated() {
            let lr = compareClose(run.lrs[i], c.lrs[s], atol: 0, rtol: 1e-12)
            rep.lrs = max(rep.lrs, lr.maxRel)
            if !lr.passed { rep.failures.append("\(c.name) step \(s) lrs \(run.lrs[i]) vs \(c.lrs[s])") }
            if let norms = c.total_norms {
                let n = compareClose([run.norms[i]], [norms[s]], atol: 0, rtol: Self.rtol)
                rep.norms = max(rep.norms, n.maxRel)
                if !n.passed { rep.failures.append("\(c.name) step \(s) total norm: \(n)") }
            }
            for (name, expected) in c.params[s] {
                let p = compareClose(run.params[i][name] ?? [], expected, atol: 0, rtol: Self.rtol)
                rep.params = max(rep.params, p.maxRel)
                if !p.passed { rep.failures.append("\(c.name) step \(s) '\(name)': \(p)") }
            }
        }
        return rep
    }

    @Test("AdamW and SGD under every schedule match torch within 1e-6 relative for 20 steps")
    func trajectories() throws {
        let fixture = try OptimFixture.load()
        let replay = OptimReplay(fixture: fixture)
        #expect(fixture.cases.count == 32)
        var worst = CaseReport()
        var identical = 0
        for c in fixture.cases {
            let (run, _, _, _) = try replay.run(c)
            let rep = compare(run, c, steps: 0 ..< fixture.steps)
            worst.params = max(worst.params, rep.params)
            worst.lrs = max(worst.lrs, rep.lrs)
            worst.norms = max(worst.norms, rep.norms)
            if rep.params == 0 { identical += 1 }
            for f in rep.failures.prefix(3) { Issue.record(Comment(rawValue: f)) }
        }
        print("optim parity: \(fixture.cases.count) cases × \(fixture.steps) steps, \(identical) bit-identical; " +
              "max rel diff params \(worst.params), lrs \(worst.lrs), clip norms \(worst.norms)")
    }

    @Test("frozen parameters stay at their initial values even with a stale gradient attached")
    func frozenUntouched() throws {
        let fixture = try OptimFixture.load()
        let replay = OptimReplay(fixture: fixture)
        for c in fixture.cases where c.name.hasSuffix("/constant") {
            let (run, _, _, _) = try replay.run(c)
            let initial = (fixture.initial["frozen"] ?? []).map { Float($0) }
            #expect(!initial.isEmpty)
            #expect(run.params.last?["frozen"] == initial, "\(c.name)")
        }
    }

    @Test("state export and import resume a run exactly, for AdamW (amsgrad) and SGD (Nesterov)")
    func resume() throws {
        let fixture = try OptimFixture.load()
        let replay = OptimReplay(fixture: fixture)
        for name in ["adamw_amsgrad/cosine", "adamw_nodecay_group/linear", "sgd_nesterov/linear",
                     "sgd_dampening/constant_with_warmup"] {
            let c = try #require(fixture.cases.first { $0.name == name })
            let (whole, _, _, _) = try replay.run(c)
            // First half, then export and continue on fresh tensors with a fresh optimizer.
            let half = fixture.steps / 2
            let params = try replay.makeParameters()
            let opt = try replay.makeOptimizer(c, params)
            let sched = LRScheduler(opt, schedule: try replay.schedule(c.schedule))
            _ = try replay.run(c, steps: 0 ..< half, optimizer: opt, scheduler: sched, params: params)
            let saved = opt.exportState()
            let resumedParams = try replay.makeParameters(params.mapValues(\.scalars))
            let resumed = try replay.makeOptimizer(c, resumedParams)
            try resumed.importState(saved)
            let resumedSched = try LRScheduler(resuming: resumed, schedule: sched.schedule,
                                               baseLRs: sched.baseLRs, step: sched.currentStep)
            let rest = try replay.run(c, steps: half ..< fixture.steps, optimizer: resumed,
                                      scheduler: resumedSched, params: resumedParams)
            // Bit for bit the same as the uninterrupted run, and still on torch's trajectory.
            #expect(rest.params == Array(whole.params[half...]), "\(name)")
            #expect(rest.lrs == Array(whole.lrs[half...]), "\(name)")
            let failures = compare(rest, c, steps: half ..< fixture.steps).failures
            #expect(failures.isEmpty, "\(name): \(failures.count) mismatches, first: \(failures.first ?? "")")
        }
    }
}
