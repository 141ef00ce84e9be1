// Reward: the scoring interface of decoding-time alignment (decoding.md §7): best-of-N, DeAL and
// reward-guided search all rank candidate texts by r(x, y). Implementations here are programmatic
// constraints (keywords, length, regex) and combinations; a trained reward model or the implicit
// DPO reward β·log(π/π_ref) conform to the same protocol from the modules that own those models.

/// Scores a completion `y` of a prompt `x`; higher is better.
public protocol Reward {
    /// r(prompt, completion).
    /// - Throws: implementation-specific errors (e.g. a calibration that has no reference for `prompt`).
    func score(prompt: String, completion: String) throws -> Double
}

/// A reward from a closure (tests, ad-hoc heuristics).
public struct ClosureReward: Reward {
    /// The scoring function.
    public let body: (String, String) throws -> Double

    /// Wraps `body(prompt, completion)`.
    public init(_ body: @escaping (String, String) throws -> Double) { self.body = body }

    public func score(prompt: String, completion: String) throws -> Double { try body(prompt, completion) }
}
