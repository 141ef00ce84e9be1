// Listwise objectives over K completions per prompt: PRO (Song et al. 2023, arXiv 2306.17492;
// the official DAMO-ConvAI PRO code's loss) and LiPO-λ (Liu et al. 2024, arXiv 2402.01878, with
// LambdaLoss weights, Wang et al. 2018). Inputs are [B, K] score tensors; list order matters for PRO
// (best first), labels for LiPO.
import AlignTensor
import Foundation

/// Column `i` of a [B, K] tensor as a [B] tensor (differentiable).
func column(_ x: Tensor, _ i: Int) -> Tensor {
    x.transposed().rows(i ..< i + 1).reshaped([x.shape[0]])
}

/// PRO: Σ_{k=1}^{K−1} mean_b −log( e^{s_k·T_kk} / (e^{s_k·T_kk} + Σ_{i>k} e^{s_i·T_ki}) + 1e-10 )
/// + sft_weight·(K−1)²·mean_b(−Σ_t log π(y_sft)), with T_ki = r_k − r_i and T_kk = max_{i>k} T_ki
/// (all T = 1 without rewards). Defaults: sft_weight 0.05 (the HH run script; argparse default 2).
public struct PROLoss {
    public var sftWeight: Double = 0.05
    public init(sftWeight: Double = 0.05) { self.sftWeight = sftWeight }

    /// - Parameters:
    ///   - scores: [B, K] length-normalized log-likelihoods s, best response first.
    ///   - rewards: [B][K] reward-model scores r (non-increasing), or nil for plain Plackett-Luce.
    ///   - sftLogps: [B] summed log-probs of the SFT target response.
    public func compute(scores: Tensor, rewards: [[Double]]?, sftLogps: Tensor) -> ObjectiveOutput {
        let (b, k) = (scores.shape[0], scores.shape[1])
        var total: Tensor?
        var metrics: [String: Double] = [:]
        for top in 0 ..< k - 1 {
            // temperatures [B] per candidate i ≥ top, constant
            let temps: [[Float]] = (0 ..< b).map { row in
                guard let r = rewards?[row] else { return [Float](repeating: 1, count: k - top) }
                let rest = (top + 1 ..< k).map { Float(r[top] - r[$0]) }
                return [rest.max() ?? 1] + rest
            }
            let logits = (top ..< k).enumerated().map { j, i in
                column(scores, i) * constant(temps.map { $0[j] })
            }
            // p = e^{a₀} / Σ e^{aᵢ}, through a detached max for stability.
            let m = constant((0 ..< b).map { row in logits.map { $0.scalars[row] }.max() ?? 0 })
            let exps = logits.map { ($0 - m).exp() }
            let denom = exps.dropFirst().reduce(exps[0]) { $0 + $1 }
            let stage = -((exps[0] / denom) + 1e-10).log().mean()
            metrics["rank_\(top + 1)_loss"] = Double(stage.item())
            total = total.map { $0 + stage } ?? stage
        }
        let sft = -sftLogps.mean() * Float(sftWeight * Double((k - 1) * (k - 1)))
        metrics["sft_loss"] = Double(sft.item())
        let loss = (total ?? Tensor(scalar: 0)) + sft
        return ObjectiveOutput(loss: loss, metrics: metrics)
    }
}

/// LiPO-λ: L = mean_b Σ_{i,j: ψ_i > ψ_j} Δ_ij · −log σ(s_i − s_j), s = β·ρ (summed log-ratios),
/// Δ_ij = |G_i − G_j|·|1/D(τ_i) − 1/D(τ_j)|, G = 2^ψ − 1, D(τ) = log₂(1 + τ), τ the 1-based rank of s
/// (descending, recomputed each step, no gradient). The normalization across pairs is UNVERIFIED
/// in the paper; we sum per list and average over lists (see the issue note).
public struct LiPOLoss {
    public var beta: Double = 0.1
    public init(beta: Double = 0.1) { self.beta = beta }

    /// `ratios`: [B, K] ρ = log π − log π_ref; `labels`: [B][K] ψ (higher = better).
    public func compute(ratios: Tensor, labels: [[Double]]) -> ObjectiveOutput {
        let (b, k) = (ratios.shape[0], ratios.shape[1])
        let s = ratios * Float(beta)
        let values = s.scalars
        var weights = [[Float]](repeating: [Float](repeating: 0, count: k * k), count: b)
        for row in 0 ..< b {
            let v = Array(values[row * k ..< (row + 1) * k])
            let order = v.indices.sorted { v[$0] > v[$1] || (v[$0] == v[$1] && $0 < $1) }
            var rank = [Int](repeating: 0, count: k)
            for (r, i) in order.enumerated() { rank[i] = r + 1 }
            for i in 0 ..< k { for j in 0 ..< k where labels[row][i] > labels[row][j] {
                let gain = Swift.abs(Foundation.pow(2, labels[row][i]) - Foundation.pow(2, labels[row][j]))
                let disc = Swift.abs(1 / Foundation.log2(1 + Double(rank[i])) - 1 / Foundation.log2(1 + Double(rank[j])))
                weights[row][i * k + j] = Float(gain * disc)
            } }
        }
        var total = Tensor(zeros: [b])
        for i in 0 ..< k { for j in 0 ..< k where weights.contains(where: { $0[i * k + j] != 0 }) {
            let w = constant(weights.map { $0[i * k + j] })
            total = total + w * -(column(s, i) - column(s, j)).logSigmoid()
        } }
        return ObjectiveOutput(loss: total.mean(), metrics: ["pairs_weight_mean": Double(weights.flatMap { $0 }.reduce(0, +)) / Double(b)])
    }
}

/// A constant [n] tensor (never recorded).
func constant(_ values: [Float]) -> Tensor {
    let t = Tensor(zeros: [values.count])
    t.withUnsafeMutableBuffer { _ = $0.update(fromContentsOf: values) }
    return t
}
