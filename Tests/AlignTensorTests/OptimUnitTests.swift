// Optimizer unit tests on hand-computed values: first AdamW and SGD steps, global-norm
// clipping, no-decay groups, skipped parameters, state export/import and the typed errors.
import AlignTensor
import AlignTestSupport
import Testing

@Suite("optimizers on hand-computed values")
struct OptimUnitTests {
    func param(_ name: String, _ values: [Float], grad: [Float]?) throws -> NamedParameter {
        let t = try Tensor(values, shape: [values.count])
        t.requiresGrad = true
        if let grad { t.grad = try Tensor(grad, shape: [grad.count]) }
        return NamedParameter(name, t)
    }

    @Test("AdamW's first step is p·(1 − lr·λ) − lr·g/(|g| + ε), since both bias corrections cancel")
    func adamwFirstStep() throws {
        let p = try param("w", [1, -2], grad: [0.5, -4])
        let opt = try AdamW([ParameterGroup([p], lr: 0.1, weightDecay: 0.1)])
        opt.step()
        // m̂ = g, v̂ = g²: 1·0.99 − 0.1·0.5/(0.5 + 1e-8) = 0.89; −2·0.99 + 0.1 = −1.88.
        let report = compareClose(p.tensor, [0.89, -1.88], atol: 0, rtol: 1e-6)
        #expect(report.passed, "\(report)")
        let state = try #require(opt.exportState().parameters["w"])
        #expect(state.step == 1)
        #expect(state.buffers["exp_avg"]?.scalars == [Float(0.1) * 0.5, Float(0.1) * -4])
        #expect(state.buffers.keys.sorted() == ["exp_avg", "exp_avg_sq"])
    }

    @Test("SGD: momentum buffer starts as g, then μ·b + (1 − dampening)·g; Nesterov steps g + μ·b")
    func sgdMomentum() throws {
        func run(_ momentum: Double, dampening: Double = 0, nesterov: Bool = false) throws -> [Float] {
            let p = try param("p", [1], grad: [1])
            let opt = try SGD([ParameterGroup([p], lr: 0.1)], momentum: momentum, dampening: dampening, nesterov: nesterov)
            var out: [Float] = []
            for _ in 0 ..< 2 { opt.step(); out.append(p.tensor.item()) }
            return out
        }
        // b = 1 → p = 0.9; b = 0.9 + 1 = 1.9 → p = 0.71.
        #expect(compareClose(try run(0.9), [0.9, 0.71], atol: 1e-7, rtol: 1e-6).passed)
        // b = 1, step 1.9 → 0.81; b = 1.9, step 1 + 1.71 = 2.71 → 0.539.
        #expect(compareClose(try run(0.9, nesterov: true), [0.81, 0.539], atol: 1e-7, rtol: 1e-6).passed)
        // b = 1 → 0.9; b = 0.9 + 0.5 = 1.4 → 0.76.
        #expect(compareClose(try run(0.9, dampening: 0.5), [0.9, 0.76], atol: 1e-7, rtol: 1e-6).passed)
        #expect(compareClose(try run(0), [0.9, 0.8], atol: 1e-7, rtol: 1e-6).passed)
    }

    @Test("clipGradNorm returns the norm of per-tensor norms and scales by max/(norm + 1e-6) only when above")
    func clipping() throws {
        let a = try param("a", [0, 0], grad: [3, 4]), b = try param("b", [0], grad: [12])
        let frozen = try param("f", [0], grad: [100])
        frozen.tensor.requiresGrad = false
        let noGrad = try param("n", [0], grad: nil)
        // ‖(‖(3,4)‖, ‖12‖)‖ = ‖(5, 12)‖ = 13; the frozen and gradient-less ones are left out.
        #expect(clipGradNorm([a, b, frozen, noGrad], maxNorm: 100) == 13)
        #expect(a.tensor.grad?.scalars == [3, 4])
        #expect(clipGradNorm([a, b, frozen, noGrad], maxNorm: 6.5) == 13)
        let coef = (1 / (Float(13) + Float(1e-6))) * Float(6.5)  // ≈ 0.5
        #expect(a.tensor.grad?.scalars == [3 * coef, 4 * coef])
        #expect(b.tensor.grad?.scalars == [12 * coef])
        #expect(frozen.tensor.grad?.scalars == [100])
        #expect(clipGradNorm([noGrad], maxNorm: 1) == 0)
    }

    @Test("split puts biases, norm weights and 1-D tensors in a no-decay group")
    func noDecayGroups() throws {
        let names = ["model.layers.0.mlp.up_proj.weight", "lm_head.bias", "model.norm.weight",
                     "transformer.ln_f.weight", "model.embed_tokens.weight"]
        let params = names.map { NamedParameter($0, Tensor(zeros: $0.hasSuffix("bias") ? [3] : [3, 2])) }
        let groups = ParameterGroup.split(params, lr: 1e-3, weightDecay: 0.1, noDecay: ParameterGroup.isBiasOrNorm)
        #expect(groups.count == 2)
        #expect(groups[0].parameters.map(\.name) == [names[0], names[4]])
        #expect(groups[0].weightDecay == 0.1)
        #expect(groups[1].parameters.map(\.name) == [names[1], names[2], names[3]])
        #expect(groups[1].weightDecay == 0 && groups[1].lr == 1e-3)
    }

    @Test("parameters without a gradient or frozen are skipped and get no state")
    func skipped() throws {
        let live = try param("live", [1], grad: [1])
        let none = try param("none", [2], grad: nil)
        let frozen = try param("frozen", [3], grad: [1])
        frozen.tensor.requiresGrad = false
        let opt = try AdamW([live, none, frozen])
        opt.step()
        #expect(live.tensor.item() != 1)
        #expect(none.tensor.item() == 2 && frozen.tensor.item() == 3)
        #expect(opt.exportState().parameters.keys.sorted() == ["live"])
        opt.zeroGrad()
        #expect(live.tensor.grad == nil && frozen.tensor.grad == nil)
    }

    @Test("exported state is a copy; import restores it and rejects unknown names, bad buffers and shapes")
    func stateRoundTrip() throws {
        let p = try param("w", [1, 2], grad: [0.3, -0.2])
        let opt = try AdamW([p])
        opt.step()
        let saved = opt.exportState()
        let savedMoment = try #require(saved.parameters["w"]?.buffers["exp_avg"]?.scalars)
        opt.step()
        #expect(saved.parameters["w"]?.buffers["exp_avg"]?.scalars == savedMoment)
        #expect(opt.exportState().parameters["w"]?.step == 2)
        try opt.importState(saved)
        #expect(opt.exportState().parameters["w"]?.step == 1)

        var unknown = saved
        unknown.parameters["v"] = saved.parameters["w"]
        #expect(throws: TensorError.self) { try opt.importState(unknown) }
        var misnamed = saved
        misnamed.parameters["w"]?.buffers = ["momentum_buffer": Tensor(zeros: [2])]
        #expect(throws: TensorError.self) { try opt.importState(misnamed) }
        var misshapen = saved
        misshapen.parameters["w"]?.buffers["exp_avg"] = Tensor(zeros: [3])
        do {
            try opt.importState(misshapen)
            Issue.record("expected a shape error")
        } catch {
            #expect("\(error)" == "AdamW.importState 'w'.exp_avg: shapes [3] and [2] do not fit; expected the parameter's shape")
        }
    }

    @Test("settings torch rejects throw errors that name the optimizer and the setting")
    func invalidSettings() throws {
        let p = try param("w", [1], grad: [1])
        #expect(throws: TensorError.self) { try AdamW([ParameterGroup([p], lr: -1)]) }
        #expect(throws: TensorError.self) { try AdamW([ParameterGroup([p], lr: 1)], betas: (0.9, 1.0)) }
        #expect(throws: TensorError.self) { try SGD([ParameterGroup([p], lr: 0.1)], nesterov: true) }
        do {
            _ = try SGD([ParameterGroup([p], lr: 0.1), ParameterGroup([p], lr: 0.2)])
            Issue.record("expected a duplicate-parameter error")
        } catch {
            #expect("\(error)" == "SGD: invalid parameter 'w' in group 1; expected each parameter (name and tensor) in exactly one group")
        }
    }

    @Test("flat state view round-trips through '<parameter>.<buffer>' keys and step counts")
    func flatState() throws {
        let a = try param("model.layers.0.w", [1, 2], grad: [0.3, -0.2])
        let b = try param("b", [1], grad: [0.5])
        let opt = try SGD([ParameterGroup([a, b], lr: 0.1)], momentum: 0.9)
        opt.step()
        let state = opt.exportState()
        let flat = state.flatTensors
        #expect(flat.keys.sorted() == ["b.momentum_buffer", "model.layers.0.w.momentum_buffer"])
        #expect(flat["model.layers.0.w.momentum_buffer"]?.scalars == [0.3, -0.2])
        #expect(state.steps == ["b": 1, "model.layers.0.w": 1])
        let rebuilt = try OptimizerState(flatTensors: flat, steps: state.steps)
        try opt.importState(rebuilt)
        #expect(opt.exportState().flatTensors.mapValues(\.scalars) == flat.mapValues(\.scalars))
        #expect(throws: TensorError.self) { try OptimizerState(flatTensors: ["nodot": Tensor(zeros: [1])], steps: [:]) }
        #expect(throws: TensorError.self) { try OptimizerState(flatTensors: ["c.momentum_buffer": Tensor(zeros: [1])], steps: [:]) }
    }

    @Test("a step on gradients from backward() updates in place without touching the tape")
    func stepAfterBackward() throws {
        let x = try Tensor([1, -2], shape: [2])
        x.requiresGrad = true
        let opt = try AdamW([ParameterGroup([NamedParameter("x", x)], lr: 0.1, weightDecay: 0)])
        (x * x).sum().backward()  // grad = 2x = [2, −4]
        #expect(x.grad?.scalars == [2, -4])
        opt.step()
        // First AdamW step: x − lr·g/(|g| + ε) = [0.9, −1.9].
        #expect(compareClose(x, [0.9, -1.9], atol: 0, rtol: 1e-6).passed)
        opt.zeroGrad()
        (x * x).sum().backward()  // the updated x is still a plain leaf: grad = 2x
        let grad = try #require(x.grad).scalars
        #expect(compareClose(grad, [1.8, -3.8], atol: 0, rtol: 1e-6).passed)
    }
}
