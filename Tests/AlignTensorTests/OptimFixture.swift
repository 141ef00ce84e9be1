// The torch.optim trajectory fixture (Tests/Fixtures/optim/optim_trajectories.json, written by
// scripts/fixtures/optim_fixture.py) and a runner that replays one case with AlignKit's
// optimizers: same initial parameters, same float32 gradients per step, same groups, schedule
// and clipping; the tests compare the lrs, norms and parameters it records with torch's.
import AlignTensor
import AlignTestSupport

/// The decoded fixture. Float32 values are stored as the exact float64 numbers they are.
struct OptimFixture: Decodable {
    struct Group: Decodable {
        let params: [String]
        let lr: Double
        let weight_decay: Double
    }
    struct Options: Decodable {
        let betas: [Double]?
        let eps: Double?
        let amsgrad: Bool?
        let momentum: Double?
        let dampening: Double?
        let nesterov: Bool?
    }
    struct Schedule: Decodable {
        let kind: String
        let warmup_steps: Int
        let total_steps: Int
    }
    struct Case: Decodable {
        let name: String
        let optimizer: String
        let options: Options
        let groups: [Group]
        let schedule: Schedule
        let clip_max_norm: Double?
        /// [step][group] lr used by that step.
        let lrs: [[Double]]
        /// [step] total norm returned by clip_grad_norm_, when clipping.
        let total_norms: [Double]?
        /// [step][name] parameters after that step.
        let params: [[String: [Double]]]
    }

    let steps: Int
    let shapes: [String: [Int]]
    let frozen: [String]
    let initial: [String: [Double]]
    /// [step][name] gradient, nil where torch saw `grad = None`.
    let grads: [[String: [Double]?]]
    let cases: [Case]

    static func load() throws -> OptimFixture {
        try FixturePaths.loadJSON(OptimFixture.self, "optim/optim_trajectories.json")
    }
}

/// What one replay produced, step by step.
struct OptimRun {
    var lrs: [[Double]] = []
    var norms: [Float] = []
    /// [step][name] parameters after that step.
    var params: [[String: [Float]]] = []
}

/// Replays fixture cases with AlignKit's optimizers.
struct OptimReplay {
    let fixture: OptimFixture

    /// Fresh parameters at their initial values (or `values`), frozen ones with requiresGrad false.
    func makeParameters(_ values: [String: [Float]]? = nil) throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, shape) in fixture.shapes {
            let v = values?[name] ?? (fixture.initial[name] ?? []).map { Float($0) }
            let t = try Tensor(v, shape: shape)
            t.requiresGrad = !fixture.frozen.contains(name)
            out[name] = t
        }
        return out
    }

    func schedule(_ s: OptimFixture.Schedule) throws -> LRSchedule {
        switch s.kind {
        case "constant": return .constant
        case "constant_with_warmup": return .constantWithWarmup(warmupSteps: s.warmup_steps)
        case "linear": return .linear(warmupSteps: s.warmup_steps, totalSteps: s.total_steps)
        case "cosine": return .cosine(warmupSteps: s.warmup_steps, totalSteps: s.total_steps)
        default: throw TensorError.invalidArgument(op: "OptimReplay", argument: "schedule \(s.kind)", expected: "a known kind")
        }
    }

    func makeOptimizer(_ c: OptimFixture.Case, _ params: [String: Tensor]) throws -> any Optimizer {
        let groups = try c.groups.map { g in
            ParameterGroup(try g.params.map { name in
                guard let t = params[name] else {
                    throw TensorError.invalidArgument(op: "OptimReplay", argument: name, expected: "a fixture parameter")
                }
                return NamedParameter(name, t)
            }, lr: g.lr, weightDecay: g.weight_decay)
        }
        let o = c.options
        if c.optimizer == "adamw" {
            let betas = o.betas ?? [0.9, 0.999]
            return try AdamW(groups, betas: (betas[0], betas[1]), eps: o.eps ?? 1e-8, amsgrad: o.amsgrad ?? false)
        }
        return try SGD(groups, momentum: o.momentum ?? 0, dampening: o.dampening ?? 0, nesterov: o.nesterov ?? false)
    }

    /// Sets step `s`'s gradients. Frozen parameters get a stale gradient anyway, which the
    /// optimizer and the clipping must ignore (torch never saw one).
    func setGradients(step s: Int, _ params: [String: Tensor]) throws {
        for (name, t) in params {
            if let g = fixture.grads[s][name] ?? nil {
                t.grad = try Tensor(g.map { Float($0) }, shape: t.shape)
            } else {
                t.grad = nil
            }
        }
    }

    /// Runs steps `range` of case `c` on `optimizer`/`scheduler` over `params`.
    func run(_ c: OptimFixture.Case, steps range: Range<Int>, optimizer: any Optimizer,
             scheduler: LRScheduler, params: [String: Tensor]) throws -> OptimRun {
        var out = OptimRun()
        for s in range {
            try setGradients(step: s, params)
            out.lrs.append(scheduler.lastLRs)
            if let maxNorm = c.clip_max_norm {
                out.norms.append(clipGradNorm(optimizer.parameters, maxNorm: maxNorm))
            }
            optimizer.step()
            scheduler.step()
            out.params.append(params.mapValues(\.scalars))
        }
        return out
    }

    /// Runs case `c` from the start for all steps.
    func run(_ c: OptimFixture.Case) throws -> (OptimRun, [String: Tensor], any Optimizer, LRScheduler) {
        let params = try makeParameters()
        let opt = try makeOptimizer(c, params)
        let sched = LRScheduler(opt, schedule: try schedule(c.schedule))
        let r = try run(c, steps: 0 ..< fixture.steps, optimizer: opt, scheduler: sched, params: params)
        return (r, params, opt, sched)
    }
}
