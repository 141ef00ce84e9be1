// ElementwiseBench: the training step's memory-bound elementwise passes in GB/s against the bandwidth
// measured in the same run — SwiGLU forward, its forward + backward, and one AdamW update.
//
// Byte counts are the minimum traffic (what a perfect kernel must move), n floats per array:
//   SwiGLU fwd: read gate, up; write out (3·4n).
//   SwiGLU fwd+bwd: the forward, then read d out, gate, up and write d gate, d up (3·4n + 5·4n).
//   AdamW: read p, g, m, v; write p, m, v (7·4n).
import AlignTensor

extension KernelBench {
    static func elementwiseCases(bandwidth: Double, minSeconds: Double) throws -> [BenchRecord] {
        let n = 3072 * 1536 * 4  // 18.9M floats, 75 MB per array: a 135M MLP activation ×4, far beyond the caches
        let gate = Tensor.uniform([n], low: -4, high: 4, generator: &benchGenerator)
        let up = Tensor.uniform([n], low: -1, high: 1, generator: &benchGenerator)
        let bytes = Double(n * 4)
        let fwd = Stopwatch.median(minSeconds: minSeconds) { _ = Tensor.swiglu(gate: gate, up: up) }
        gate.requiresGrad = true
        up.requiresGrad = true
        let dy = Tensor(repeating: 1, shape: [n])
        let both = Stopwatch.median(minSeconds: minSeconds) {
            gate.zeroGrad()
            up.zeroGrad()
            Tensor.swiglu(gate: gate, up: up).backward(dy)
        }
        let param = Tensor.uniform([n], low: -1, high: 1, generator: &benchGenerator)
        param.requiresGrad = true
        param.grad = Tensor.uniform([n], low: -1, high: 1, generator: &benchGenerator)
        let adam = try AdamW([NamedParameter("w", param)], lr: 1e-4)
        let step = Stopwatch.median(minSeconds: minSeconds) { adam.step() }
        return [
            BenchRecord(bench: "kernels", case: "SwiGLU fwd \(n)", unit: "GB/s", alignkit: gbps(3 * bytes, fwd), limit: bandwidth),
            BenchRecord(bench: "kernels", case: "SwiGLU fwd+bwd \(n)", unit: "GB/s", alignkit: gbps(8 * bytes, both),
                        limit: bandwidth),
            BenchRecord(bench: "kernels", case: "AdamW step \(n)", unit: "GB/s", alignkit: gbps(7 * bytes, step), limit: bandwidth),
        ]
    }
}
