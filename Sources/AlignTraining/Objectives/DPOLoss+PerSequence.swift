// The per-sequence loss of each DPO `loss_type`, one short formula each ([B] in, [B] out).
// Formulas and equation numbers as in ../shared/methods/training-objectives.md §1 and TRL 1.16.
import AlignTensor

extension DPOLoss {
    func perSequenceLoss(_ type: DPOLossType, _ p: Pair) -> Tensor {
        let beta = Float(config.beta), eps = Float(config.labelSmoothing)
        let delta = p.chosenScores - p.rejectedScores
        switch type {
        case .sigmoid:
            return -(delta * beta).logSigmoid()
        case .hinge:
            return (1 - delta * beta).relu()
        case .ipo:  // length-averaged scores; β plays τ
            let avg = p.chosenScores / p.chosenTokens - p.rejectedScores / p.rejectedTokens
            return (avg - 1 / (2 * beta)).square()
        case .exoPair:
            let z = delta * beta
            let pw = Float(Foundation.log1p(-Double(eps))), pl = Float(Foundation.log(Double(eps)))
            return z.sigmoid() * (z.logSigmoid() - pw) + (-z).sigmoid() * ((-z).logSigmoid() - pl)
        case .ncaPair:
            let rw = p.chosenRatios * beta, rl = p.rejectedRatios * beta
            return -rw.logSigmoid() - (-rw).logSigmoid() * 0.5 - (-rl).logSigmoid() * 0.5
        case .robust:  // can be negative by design: unbiased under label-flip rate ε
            let clean = (delta * beta).logSigmoid() * -(1 - eps)
            let flipped = (-(delta * beta)).logSigmoid() * -eps
            return (clean - flipped) / (1 - 2 * eps)
        case .bcoPair:
            return -(p.chosenRatios * beta).logSigmoid() - (-(p.rejectedRatios * beta)).logSigmoid()
        case .sppoHard:
            return (p.chosenRatios - 0.5 / beta).square() + (p.rejectedRatios + 0.5 / beta).square()
        case .aot:  // sort policy and reference margins independently, then compare quantiles
            let u = p.chosenLogps - p.rejectedLogps, v = p.refChosen - p.refRejected
            return smoothedLogistic((u.gatherRows(u.argsort()) - v.gatherRows(v.argsort())) * beta, eps)
        case .aotUnpaired:
            let c = p.chosenRatios, r = p.rejectedRatios
            return smoothedLogistic((c.gatherRows(c.argsort()) - r.gatherRows(r.argsort())) * beta, eps)
        case .apoZero:
            return (1 - (p.chosenRatios * beta).sigmoid()) + (p.rejectedRatios * beta).sigmoid()
        case .apoDown:
            return (p.chosenRatios * beta).sigmoid() + (1 - ((p.chosenRatios - p.rejectedRatios) * beta).sigmoid())
        case .discopop:  // blend of logistic and exponential losses, mixed by σ(z/τ)
            let z = delta * beta
            let m = (z / Float(config.discopopTau)).sigmoid()
            return -z.logSigmoid() * (1 - m) + (-z).exp() * m
        case .sft:
            return chosenTokenMeanNLL(p.batch).broadcast(to: [p.batch.pairs])
        case .cdpo:
            return smoothedLogistic(delta * beta, eps)
        case .ipoSum:
            return (delta - 1 / (2 * beta)).square()
        case .sftSum:
            return -p.chosenLogps
        case .sigmoidNorm:
            let avg = p.chosenScores / p.chosenTokens - p.rejectedScores / p.rejectedTokens
            return -(avg * beta).logSigmoid()
        }
    }

    /// −(1−ε)·log σ(z) − ε·log σ(−z): cDPO's soft-label logistic loss.
    func smoothedLogistic(_ z: Tensor, _ eps: Float) -> Tensor {
        -z.logSigmoid() * (1 - eps) - (-z).logSigmoid() * eps
    }

    /// Mean of −log π over every chosen completion token in the batch (a token mean, not per sequence).
    func chosenTokenMeanNLL(_ batch: PreferenceLogps) -> Tensor {
        let b = batch.pairs
        let mask = batch.completionMask.rows(0 ..< b)
        let total = (batch.tokenLogps.rows(0 ..< b) * mask).sum()
        return -total / Swift.max(mask.sum().item(), 1)
    }

    /// TRL's logged DPO metrics: rewards are always β·ρ, whatever the loss type.
    func metrics(_ p: Pair) -> [String: Double] {
        let beta = config.beta
        let rc = p.chosenRatios.scalars.map { beta * Double($0) }
        let rr = p.rejectedRatios.scalars.map { beta * Double($0) }
        func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }
        return [
            "rewards/chosen": mean(rc), "rewards/rejected": mean(rr),
            "rewards/accuracies": mean(zip(rc, rr).map { $0 > $1 ? 1 : 0 }),
            "rewards/margins": mean(zip(rc, rr).map { $0 - $1 }),
            "logps/chosen": mean(p.chosenLogps.scalars.map(Double.init)),
            "logps/rejected": mean(p.rejectedLogps.scalars.map(Double.init)),
        ]
    }
}
import Foundation
