// ObjectiveOutput: an objective's scalar loss (on the tape) and its logged metrics, named as TRL names them.

import AlignTensor

/// The result of one objective evaluation.
public struct ObjectiveOutput {
    /// Scalar loss; backward() from it reaches the policy log-probs.
    public var loss: Tensor
    /// Logged values keyed by TRL's metric names (`rewards/chosen`, `rewards/margins`, `logps/chosen`, …).
    public var metrics: [String: Double]

    public init(loss: Tensor, metrics: [String: Double]) {
        self.loss = loss
        self.metrics = metrics
    }
}

/// Errors from objective configuration and inputs.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// A config field has a value the objective cannot use; names the field and what is allowed.
    case invalidConfig(field: String, value: String, expected: String)
    /// An objective needs an input the batch did not provide.
    case missingInput(objective: String, input: String)

    public var description: String {
        switch self {
        case let .invalidConfig(field, value, expected): return "config field '\(field)' = \(value): expected \(expected)"
        case let .missingInput(objective, input): return "objective '\(objective)' needs \(input), which the batch lacks"
        }
    }
}
