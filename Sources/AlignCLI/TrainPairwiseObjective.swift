// TrainPairwiseObjective: which pairwise objective `align train dpo` trains — the `objective` key (or
// --objective): `dpo` (default; DPOConfig's keys, TRL DPOTrainer), `cpo` (TRL 1.16 experimental CPOConfig's
// keys: beta, label_smoothing, loss_type sigmoid|hinge|ipo|simpo, cpo_alpha, simpo_gamma, alpha — SimPO is
// `loss_type: simpo, cpo_alpha: 0`), `orpo` (ORPOConfig's beta) or `asft` (no TRL trainer; `asft_lambda`, the
// weight λ of the absolute-likelihood terms, default 0.1; UNVERIFIED reconstruction, SequenceScoreLosses.swift).
// Defaults are TRL's. A key that belongs to
// another objective is an error naming it, so `cpo_alpha` cannot be silently ignored by a DPO run.
import AlignTokenizers
import AlignTraining

/// The objective family of a pairwise run, named as the TRL trainer that has it.
enum PairwiseObjectiveName: String {
    case dpo, cpo, orpo, asft

    /// The objective's own config keys (besides TrainingArguments' and the dataset's).
    var keys: Set<String> {
        switch self {
        case .dpo: return TrainConfigFile.dpoKeys
        case .cpo: return ["beta", "label_smoothing", "loss_type", "cpo_alpha", "simpo_gamma", "alpha"]
        case .orpo: return ["beta"]
        case .asft: return ["asft_lambda"]
        }
    }

    /// Every objective key of every family (what a config file may hold).
    static var allKeys: Set<String> { Set(["objective"]).union(PairwiseObjectiveName.dpo.keys).union(cpo.keys).union(orpo.keys).union(asft.keys) }

    /// Reads the `objective` value.
    static func parse(_ v: ChatJSON) throws -> PairwiseObjectiveName {
        let name = try TrainConfigFile.string("objective", v)
        guard let o = PairwiseObjectiveName(rawValue: name) else {
            throw AlignCLIError.badConfigValue(key: "objective", value: name, expected: "dpo, cpo, orpo or asft")
        }
        return o
    }
}

extension TrainConfigFile {
    /// CPOConfig from its TRL keys (absent keys keep TRL 1.16's defaults).
    static func cpoConfig(_ pairs: [(String, ChatJSON)]) throws -> CPOConfig {
        var c = CPOConfig()
        for (key, v) in pairs {
            switch key {
            case "beta": c.beta = try double(key, v)
            case "label_smoothing": c.labelSmoothing = try double(key, v)
            case "cpo_alpha": c.cpoAlpha = try double(key, v)
            case "simpo_gamma": c.simpoGamma = try double(key, v)
            case "alpha": c.alpha = try double(key, v)
            case "loss_type":
                let name = try string(key, v)
                guard let t = CPOConfig.LossType(rawValue: name) else {
                    throw AlignCLIError.badConfigValue(key: key, value: name, expected: "sigmoid, hinge, ipo or simpo (objective cpo)")
                }
                c.lossType = t
            default: throw AlignCLIError.badConfigValue(key: key, value: "\(foundation(v))", expected: "no such key for objective cpo")
            }
        }
        guard c.beta > 0 else { throw AlignCLIError.badConfigValue(key: "beta", value: "\(c.beta)", expected: "> 0") }
        return c
    }

    /// ORPOConfig from its TRL key `beta` (λ; default 0.1).
    static func orpoConfig(_ pairs: [(String, ChatJSON)]) throws -> ORPOConfig {
        var c = ORPOConfig()
        for (key, v) in pairs {
            guard key == "beta" else {
                throw AlignCLIError.badConfigValue(key: key, value: "\(foundation(v))", expected: "no such key for objective orpo")
            }
            c.beta = try double(key, v)
        }
        return c
    }

    /// ASFTLoss from `asft_lambda` (λ ≥ 0; default 0.1).
    static func asftLoss(_ pairs: [(String, ChatJSON)]) throws -> ASFTLoss {
        var loss = ASFTLoss()
        for (key, v) in pairs {
            guard key == "asft_lambda" else {
                throw AlignCLIError.badConfigValue(key: key, value: "\(foundation(v))", expected: "no such key for objective asft")
            }
            loss.lambda = try double(key, v)
            guard loss.lambda >= 0 else { throw AlignCLIError.badConfigValue(key: key, value: "\(loss.lambda)", expected: "≥ 0") }
        }
        return loss
    }
}

extension DPORunSettings {
    /// The configured objective, ready for DPOTrainer.
    func makeObjective() throws -> any PairwiseObjective {
        switch objective {
        case .dpo: return try DPOLoss(config: dpo)
        case .cpo: return CPOLoss(config: cpo)
        case .orpo: return ORPOLoss(config: orpo)
        case .asft: return asft
        }
    }
}
