// The fused LoRA path of an adapted Linear (LoRAAdapter.forward → Tensor.loraLinear) against the composed
// reference `base(x) + adapter(x)` (LoRAAdapter.callAsFunction) — values and gradients, with and without
// dropout — and PEFT's disable_adapter() (DecoderModel.withLoRADisabled): with a non-zero PEFT adapter
// loaded, the bypassed model gives the base model's log-probs bit for bit, and the adapters come back after.
import Foundation
import Testing
import AlignTensor
import AlignTestSupport
@testable import AlignModels

@Suite("LoRA: fused forward and adapter bypass")
struct LoRAFusedTests {
    /// A Linear 6 → 5 with a bias and an adapter of rank 3 whose B is non-zero.
    static func adaptedLinear(layout: WeightLayout, dropout: Float) -> Linear {
        let linear = Linear(inFeatures: 6, outFeatures: 5, bias: true, layout: layout)
        linear.weight.assign(testTensor(linear.weightShape, seed: 21, scale: 0.4))
        linear.bias?.assign(testTensor([5], seed: 22))
        var g = RandomGenerator(seed: 4)
        let lora = LoRAAdapter(inFeatures: 6, outFeatures: 5, rank: 3, alpha: 6, dropout: dropout, generator: &g)
        lora.b.assign(testTensor([5, 3], seed: 23, scale: 0.5))
        linear.lora = lora
        return linear
    }

    @Test("an adapted Linear equals base + composed adapter, values and A/B/x gradients",
          arguments: [(WeightLayout.outIn, Float(0)), (.inOut, 0), (.outIn, 0.3)])
    func fusedEqualsComposed(layout: WeightLayout, dropout: Float) throws {
        let linear = Self.adaptedLinear(layout: layout, dropout: dropout)
        let lora = try #require(linear.lora)
        let x = testTensor([2, 4, 6], seed: 24)
        x.requiresGrad = true
        let dout = testTensor([2, 4, 5], seed: 25)
        let bias = try #require(linear.bias)
        let stream = lora.generator  // both passes draw the same dropout mask
        func run(_ f: () -> Tensor) -> [[Float]] {
            for t in [x, lora.a, lora.b] { t.zeroGrad() }
            let y = f()
            y.backward(dout)
            return [y.scalars, x.grad?.scalars ?? [], lora.a.grad?.scalars ?? [], lora.b.grad?.scalars ?? []]
        }
        let fused = run { linear(x) }
        lora.generator = stream
        let composed = run { Tensor.matmul(x, linear.weight, transposeB: layout == .outIn) + bias + lora(x) }
        for (i, name) in ["y", "dx", "dA", "dB"].enumerated() {
            let r = compareClose(fused[i], composed[i].map(Double.init), atol: 1e-5, rtol: 1e-5)
            #expect(!fused[i].isEmpty && r.passed, "\(name): \(r)")
        }
        #expect(linear.weight.grad == nil && linear.bias?.grad == nil, "the frozen base gets no gradient buffer")
    }

    @Test("withLoRADisabled gives the base model's log-probs exactly and re-enables the adapters, also after a throw")
    func disabledIsBase() throws {
        let folder = LoRAFixtures.folder("peft-lora")
        let ref = try LoRAFixtures.reference(folder, "reference.json")
        let labels = ref.input_ids.map { Array($0.dropFirst()) + [-100] }
        let base = try DecoderModel.load(directory: LoRAFixtures.folder("llama3"))
        let expected = try base.tokenLogProbs(ref.input_ids, labels: labels, attentionMask: ref.attention_mask).scalars
        let m = try DecoderModel.load(directory: LoRAFixtures.folder("llama3"))
        try m.loadLoRA(directory: folder)
        let adapted = try m.tokenLogProbs(ref.input_ids, labels: labels, attentionMask: ref.attention_mask).scalars
        #expect(zip(adapted, expected).contains { Swift.abs($0 - $1) > 1e-3 }, "the adapter changes the log-probs")
        let bypassed = try m.withLoRADisabled {
            try m.tokenLogProbs(ref.input_ids, labels: labels, attentionMask: ref.attention_mask).scalars
        }
        #expect(bypassed == expected, "the bypassed adapters leave exactly the base model")
        struct Stop: Error {}
        #expect(throws: Stop.self) { try m.withLoRADisabled { throw Stop() } }
        let enabled = m.loraTargetModules.compactMap(\.1.lora).allSatisfy { $0.isEnabled }
        #expect(enabled)
        let after = try m.tokenLogProbs(ref.input_ids, labels: labels, attentionMask: ref.attention_mask).scalars
        #expect(after == adapted, "the adapters are back")
    }
}
