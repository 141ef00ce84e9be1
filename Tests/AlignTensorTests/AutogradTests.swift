import Testing
import AlignTensor
import AlignTestSupport

@Suite("autodiff tape")
struct AutogradTests {
    @Test("gradients of a shared subexpression add up (x·x + x)")
    func diamond() throws {
        let x = try Tensor([1, -2, 3], shape: [3])
        x.requiresGrad = true
        let y = (x * x + x).sum()
        y.backward()
        #expect(x.grad?.scalars == [3, -3, 7])
    }

    @Test("gradients accumulate across backward calls until zeroed")
    func accumulation() throws {
        let x = try Tensor([2], shape: [1])
        x.requiresGrad = true
        (x * 3).sum().backward()
        (x * 3).sum().backward()
        #expect(x.grad?.scalars == [6])
        x.zeroGrad()
        (x * x).sum().backward()
        #expect(x.grad?.scalars == [4])
    }

    @Test("frozen parameters get no gradient; inputs that need none are skipped")
    func frozen() throws {
        let w = try Tensor([1, 2], shape: [2])
        let frozen = try Tensor([3, 4], shape: [2])
        w.requiresGrad = true
        (w * frozen).sum().backward()
        #expect(w.grad?.scalars == [3, 4])
        #expect(frozen.grad == nil)
    }

    @Test("nothing is recorded without grad or when disabled")
    func noRecording() throws {
        let x = try Tensor([1, 2], shape: [2])
        #expect(!(x * x).needsGrad)
        x.requiresGrad = true
        #expect((x * x).needsGrad)
        let y = Autograd.withoutGrad { x * x }
        #expect(!y.needsGrad)
        #expect(Autograd.isEnabled)
    }

    @Test("backward with an explicit upstream gradient (vector-Jacobian product)")
    func vjp() throws {
        let x = try Tensor([1, 2, 3], shape: [3])
        x.requiresGrad = true
        let y = x.exp()
        y.backward(try Tensor([1, 0, 2], shape: [3]))
        let expected: [Double] = [2.718281828, 0, 2 * 20.085536923]  // e¹·1, e²·0, e³·2
        let r = compareClose(x.grad?.scalars ?? [], expected, atol: 1e-5)
        #expect(r.passed, "\(r)")
    }

    @Test("a gradient shared by two leaves, or a view of the caller's seed, is never written in place")
    func sharedGradientsStayApart() throws {
        // a + b hands the same upstream gradient to both leaves: each must own its own grad afterwards.
        let a = try Tensor([1, 2], shape: [2]), b = try Tensor([3, 4], shape: [2])
        a.requiresGrad = true
        b.requiresGrad = true
        (a + b).sum().backward()
        (a * 2).sum().backward()  // accumulates into a.grad only
        #expect(a.grad?.scalars == [3, 3])
        #expect(b.grad?.scalars == [1, 1])
        // A reshape's gradient is a view of the seed the caller still holds: grad must be a copy.
        let x = try Tensor([1, 2, 3, 4], shape: [4])
        x.requiresGrad = true
        let seed = try Tensor([1, 2, 3, 4], shape: [2, 2])
        x.reshaped([2, 2]).backward(seed)
        seed.withUnsafeMutableBuffer { $0.update(repeating: 0) }
        #expect(x.grad?.scalars == [1, 2, 3, 4])
        // Sums that meet in place keep their values: x·x + x·x + x, three terms into one input.
        let z = try Tensor([2, 3], shape: [2])
        z.requiresGrad = true
        (z * z + z * z + z).sum().backward()
        #expect(z.grad?.scalars == [9, 13])  // 4x + 1
    }
}
