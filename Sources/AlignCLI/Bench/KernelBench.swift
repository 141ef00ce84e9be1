// KernelBench: AlignTensor's memory-bound kernels in GB/s against the bandwidth measured in the same
// run, and attention in GFLOP/s against the sgemm rate measured in the same run.
//
// Byte counts are the minimum traffic of each kernel (what a perfect kernel must move):
//   log-softmax+gather fwd: read N·V logits (labels and outputs are negligible);
//   its backward: read N·V logits + write N·V gradients;   softmax: read + write N·V;
//   RMSNorm fwd: read + write N·C;   RMSNorm bwd: read x and dy, write dx (3·N·C).
// Attention FLOPs: QKᵀ and P·V are 2·B·H·T·S·D each; causal masking halves the useful work, and we
// count the full products (the kernels compute them through sgemm), so the figure is comparable to sgemm.
import AlignTensor

public enum KernelBench {
    /// Runs every kernel case; `bandwidth` (GB/s) and `sgemm` (GFLOP/s) are the limits.
    /// The kernel groups `run` knows, in the order it runs them.
    public static let groups = ["logprob", "norm", "elementwise", "attention", "lora"]

    /// `groups` picks among `KernelBench.groups`.
    public static func run(bandwidth: Double, sgemm: Double, minSeconds: Double,
                           groups: Set<String> = Set(KernelBench.groups)) throws -> [BenchRecord] {
        var out: [BenchRecord] = []
        if groups.contains("logprob") {
            for v in [32_000, 128_000] { out += try logProbCases(vocab: v, bandwidth: bandwidth, minSeconds: minSeconds) }
        }
        if groups.contains("norm") { out += normCases(bandwidth: bandwidth, minSeconds: minSeconds) }
        if groups.contains("elementwise") { out += try elementwiseCases(bandwidth: bandwidth, minSeconds: minSeconds) }
        if groups.contains("attention") {
            for t in [256, 1024] { out += attentionCases(seq: t, sgemm: sgemm, minSeconds: minSeconds) }
        }
        if groups.contains("lora") {
            for width in [576, 1536] { out += lowRankCases(width: width, sgemm: sgemm, minSeconds: minSeconds) }
        }
        return out
    }

    static func gbps(_ bytes: Double, _ seconds: Double) -> Double { bytes / seconds / 1e9 }

    static func logProbCases(vocab v: Int, bandwidth: Double, minSeconds: Double) throws -> [BenchRecord] {
        let n = (64 << 20) / (4 * v) * 2  // ≈ 128 MB of logits: far beyond the caches
        let logits = Tensor.uniform([n, v], low: -4, high: 4, generator: &benchGenerator)
        let labels = (0 ..< n).map { Int32(($0 * 7919) % v) }
        let bytes = Double(n * v * 4)
        let fwd = Stopwatch.median(minSeconds: minSeconds) { _ = try? Tensor.tokenLogProbs(logits, labels: labels) }
        logits.requiresGrad = true
        let upstream = Tensor(repeating: 1, shape: [n])
        let bwd = Stopwatch.median(minSeconds: minSeconds) {
            logits.zeroGrad()
            (try? Tensor.tokenLogProbs(logits, labels: labels))?.backward(upstream)
        }
        logits.requiresGrad = false
        let sm = Stopwatch.median(minSeconds: minSeconds) { _ = logits.softmax() }
        let tag = "\(v / 1000)k vocab, \(n) rows"
        return [
            BenchRecord(bench: "kernels", case: "log-softmax+gather fwd \(tag)", unit: "GB/s", alignkit: gbps(bytes, fwd), limit: bandwidth),
            BenchRecord(bench: "kernels", case: "log-softmax+gather fwd+bwd \(tag)", unit: "GB/s",
                        alignkit: gbps(bytes * 3, bwd), limit: bandwidth),  // fwd read + bwd read + write
            BenchRecord(bench: "kernels", case: "softmax fwd \(tag)", unit: "GB/s", alignkit: gbps(2 * bytes, sm), limit: bandwidth),
        ]
    }

    static func normCases(bandwidth: Double, minSeconds: Double) -> [BenchRecord] {
        let (n, c) = (16_384, 2048)  // 128 MB activations
        let x = Tensor.uniform([n, c], low: -1, high: 1, generator: &benchGenerator)
        let w = Tensor(repeating: 1, shape: [c])
        let bytes = Double(n * c * 4)
        let fwd = Stopwatch.median(minSeconds: minSeconds) { _ = x.rmsNorm(weight: w) }
        x.requiresGrad = true
        let dy = Tensor(repeating: 1, shape: [n, c])
        let both = Stopwatch.median(minSeconds: minSeconds) {
            x.zeroGrad()
            x.rmsNorm(weight: w).backward(dy)
        }
        x.requiresGrad = false
        return [
            BenchRecord(bench: "kernels", case: "RMSNorm fwd \(n)×\(c)", unit: "GB/s", alignkit: gbps(2 * bytes, fwd), limit: bandwidth),
            BenchRecord(bench: "kernels", case: "RMSNorm fwd+bwd \(n)×\(c)", unit: "GB/s", alignkit: gbps(5 * bytes, both), limit: bandwidth),
        ]
    }

    static func attentionCases(seq t: Int, sgemm: Double, minSeconds: Double) -> [BenchRecord] {
        let (b, h, hkv, d) = (1024 / t * 2, 9, 3, 64)  // SmolLM-135M heads; B·T = 2048 tokens
        let q = Tensor.uniform([b, t, h, d], low: -1, high: 1, generator: &benchGenerator)
        let k = Tensor.uniform([b, t, hkv, d], low: -1, high: 1, generator: &benchGenerator)
        let v = Tensor.uniform([b, t, hkv, d], low: -1, high: 1, generator: &benchGenerator)
        let flops = 4 * Double(b * h * t * t * d)
        let fwd = Stopwatch.median(minSeconds: minSeconds) {
            _ = Tensor.scaledDotProductAttention(query: q, key: k, value: v, layout: .bthd)
        }
        for x in [q, k, v] { x.requiresGrad = true }
        let dy = Tensor(repeating: 1, shape: q.shape)
        let both = Stopwatch.median(minSeconds: minSeconds) {
            for x in [q, k, v] { x.zeroGrad() }
            Tensor.scaledDotProductAttention(query: q, key: k, value: v, layout: .bthd).backward(dy)
        }
        let tag = "B \(b) T \(t) H \(h)/\(hkv) D \(d)"
        return [
            BenchRecord(bench: "kernels", case: "attention fwd \(tag)", unit: "GFLOP/s", alignkit: flops / fwd / 1e9, limit: sgemm),
            // backward is four more products of the same size (dV, dP, dQ, dK)
            BenchRecord(bench: "kernels", case: "attention fwd+bwd \(tag)", unit: "GFLOP/s", alignkit: 3 * flops / both / 1e9, limit: sgemm),
        ]
    }
}

/// The benchmark's input generator (fixed seed: inputs are the same every run).
nonisolated(unsafe) var benchGenerator = RandomGenerator(seed: 20_261_129)
