// DensityRatioClassifier: BCO's underlying-distribution-matching (UDM) classifier (Jung et al. 2024, arXiv 2404.04656,
// §4.3) as TRL's BCOTrainer builds it (trl 1.13 trl/experimental/bco/bco_trainer.py): a logistic regression on prompt
// embeddings, label 1 for prompts of desirable rows and 0 for undesirable ones, fitted once with scikit-learn's
// `LogisticRegression(class_weight="balanced")` — L2 penalty with C = 1 on the coefficients, the intercept not
// penalized, sample weights n / (2·n_class). Undesirable rows are then weighted by the clipped density ratio
// clamp(p / (1 − p + 1e-8), min_density_ratio, max_density_ratio) with p = P(desirable | prompt) (`_get_udm_weight`).
// sklearn stops L-BFGS at a gradient tolerance of 1e-4; this solves the same convex problem exactly (Newton's method
// in Float64 with a backtracking line search), so coefficients agree with sklearn's to its tolerance and with a
// tightly converged sklearn fit to ~1e-6 (Tests/Fixtures/bco/udm_classifier.json, scripts/fixtures/bco_udm_fixture.py).
import Foundation

/// A fitted logistic regression P(desirable | e) = σ(w·e + b) over prompt embeddings e.
public struct DensityRatioClassifier: Codable, Sendable, Equatable {
    /// [E] coefficients w.
    public var coef: [Double]
    /// b
    public var intercept: Double

    public init(coef: [Double], intercept: Double) {
        self.coef = coef
        self.intercept = intercept
    }

    /// sklearn's `predict_proba(e)[:, 1]`: σ(w·e + b).
    public func probability(_ e: [Float]) -> Double {
        var z = intercept
        for (w, x) in zip(coef, e) { z += w * Double(x) }
        return 1 / (1 + exp(-z))
    }

    /// TRL's `_get_udm_weight` for one undesirable row: clamp(p / (1 − p + 1e-8), min, max).
    public static func weight(probability p: Double, minDensityRatio: Double, maxDensityRatio: Double) -> Double {
        min(max(p / (1 - p + 1e-8), minDensityRatio), maxDensityRatio)
    }

    /// Fits the class-balanced L2 logistic regression on `embeddings` ([N][E]) with `labels` (true = desirable).
    /// Minimizes C·Σ sᵢ·(log(1 + e^{zᵢ}) − yᵢ·zᵢ) + ½‖w‖², zᵢ = w·xᵢ + b, sᵢ = N / (2·N_{yᵢ}) — sklearn's objective.
    /// - Throws: `TrainingError.invalidConfig` when a class is empty or the embeddings differ in length.
    public static func fit(embeddings: [[Float]], labels: [Bool], c: Double = 1) throws -> DensityRatioClassifier {
        let n = embeddings.count, d = embeddings.first?.count ?? 0
        let positives = labels.filter { $0 }.count
        guard n == labels.count, positives > 0, positives < n else {
            throw TrainingError.invalidConfig(field: "train_dataset", value: "\(positives) desirable of \(n) rows",
                                              expected: "both desirable and undesirable rows to fit the UDM classifier")
        }
        guard d > 0, embeddings.allSatisfy({ $0.count == d }) else {
            throw TrainingError.invalidConfig(field: "prompt embeddings", value: "lengths \(Set(embeddings.map(\.count)).sorted())",
                                              expected: "one length > 0")
        }
        let x = embeddings.map { $0.map(Double.init) + [1] }  // [N][E + 1], the intercept's constant column last
        let y = labels.map { $0 ? 1.0 : 0.0 }
        let s = labels.map { Double(n) / (2 * Double($0 ? positives : n - positives)) }
        let problem = LogisticProblem(x: x, y: y, weights: s, c: c)
        let theta = problem.minimize()
        return DensityRatioClassifier(coef: Array(theta.prefix(d)), intercept: theta[d])
    }
}

/// The penalized, weighted logistic loss and its Newton minimization.
private struct LogisticProblem {
    let x: [[Double]], y: [Double], weights: [Double], c: Double
    var dim: Int { x[0].count }

    /// log(1 + e^z), without overflow.
    static func softplus(_ z: Double) -> Double { z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)) }

    func value(_ t: [Double]) -> Double {
        var f = 0.0
        for i in x.indices {
            let z = dot(x[i], t)
            f += weights[i] * (Self.softplus(z) - y[i] * z)
        }
        return c * f + 0.5 * penalty(t)
    }

    /// ½‖w‖² without the intercept (the last entry).
    func penalty(_ t: [Double]) -> Double { t.dropLast().reduce(0) { $0 + $1 * $1 } }

    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Gradient and Hessian at `t`.
    func derivatives(_ t: [Double]) -> (g: [Double], h: [[Double]]) {
        let m = dim
        var g = Array(t.dropLast()) + [0]
        var h = (0 ..< m).map { r in (0 ..< m).map { $0 == r && r < m - 1 ? 1.0 : 0 } }
        for i in x.indices {
            let p = 1 / (1 + exp(-dot(x[i], t)))
            let gi = c * weights[i] * (p - y[i]), hi = c * weights[i] * p * (1 - p)
            for r in 0 ..< m {
                g[r] += gi * x[i][r]
                for col in 0 ... r { h[r][col] += hi * x[i][r] * x[i][col] }
            }
        }
        for r in 0 ..< m { for col in r + 1 ..< m { h[r][col] = h[col][r] } }
        return (g, h)
    }

    /// Newton steps with backtracking from θ = 0 until the gradient vanishes (max |g| < 1e-12 · max(1, N)).
    func minimize() -> [Double] {
        var t = [Double](repeating: 0, count: dim)
        var f = value(t)
        for _ in 0 ..< 100 {
            let (g, h) = derivatives(t)
            if (g.map(abs).max() ?? 0) < 1e-12 * max(1, Double(x.count)) { break }
            let step = Self.solve(h, g)
            var alpha = 1.0, next = t, fNext = f
            repeat {  // the loss is convex; halve until it does not rise (Newton steps are accepted near the optimum)
                next = zip(t, step).map { $0 - alpha * $1 }
                fNext = value(next)
                alpha /= 2
            } while fNext > f && alpha > 1e-10
            if fNext > f { break }
            (t, f) = (next, fNext)
        }
        return t
    }

    /// Solves H·v = g for a symmetric positive-definite H (Cholesky; the ridge on w and σ' > 0 on b keep H SPD).
    static func solve(_ h: [[Double]], _ g: [Double]) -> [Double] {
        let m = g.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for i in 0 ..< m {
            for j in 0 ... i {
                var s = h[i][j]
                for k in 0 ..< j { s -= l[i][k] * l[j][k] }
                l[i][j] = i == j ? sqrt(max(s, 1e-300)) : s / l[j][j]
            }
        }
        var z = g
        for i in 0 ..< m { for k in 0 ..< i { z[i] -= l[i][k] * z[k] }; z[i] /= l[i][i] }
        for i in stride(from: m - 1, through: 0, by: -1) { for k in i + 1 ..< m { z[i] -= l[k][i] * z[k] }; z[i] /= l[i][i] }
        return z
    }
}
