// ConstraintArgs: the arguments of one constraint in a verifier spec, with typed accessors whose errors name the
// prompt, the constraint type and the argument.

/// `{"type": "...", <arguments>}` of one constraint.
public struct ConstraintArgs: Sendable {
    /// The prompt id and constraint type, for error messages.
    public let prompt: String
    public let type: String
    let values: [String: JSONValue]

    init(prompt: String, object: [String: JSONValue]) throws {
        self.prompt = prompt
        guard case let .string(t)? = object["type"] else {
            throw AlignEvalError.invalidConstraint(prompt: prompt, type: "?", reason: "missing string field 'type'")
        }
        type = t
        values = object.filter { $0.key != "type" }
    }

    func error(_ reason: String) -> AlignEvalError { .invalidConstraint(prompt: prompt, type: type, reason: reason) }

    func string(_ k: String) throws -> String {
        guard case let .string(s)? = values[k] else { throw error("'\(k)' must be a string") }
        return s
    }

    func optionalString(_ k: String, default d: String) throws -> String { values[k] == nil ? d : try string(k) }

    func strings(_ k: String) throws -> [String] {
        guard case let .array(a)? = values[k] else { throw error("'\(k)' must be a list of strings") }
        return try a.map { guard case let .string(s) = $0 else { throw error("'\(k)' must be a list of strings") }; return s }
    }

    func optionalStrings(_ k: String) throws -> [String]? { values[k] == nil ? nil : try strings(k) }

    func bool(_ k: String, default d: Bool) throws -> Bool {
        switch values[k] {
        case nil: return d
        case let .bool(b)?: return b
        default: throw error("'\(k)' must be true or false")
        }
    }

    func number(_ k: String) throws -> Double? {
        switch values[k] {
        case nil: return nil
        case let .number(d)? where d.isFinite: return d
        default: throw error("'\(k)' must be a number")
        }
    }

    /// An integer argument in `range` (default when absent).
    func int(_ k: String, default d: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let x = try number(k) else { return d }
        guard x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
            throw error("'\(k)' must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(x)
    }

    /// `min`/`max` bounds; at least one must be given, and min ≤ max.
    func bounds() throws -> ClosedRange<Double> {
        let lo = try number("min"), hi = try number("max")
        guard lo != nil || hi != nil else { throw error("give 'min', 'max' or both") }
        let range = (lo ?? -Double.infinity, hi ?? Double.infinity)
        guard range.0 <= range.1 else { throw error("'min' must not exceed 'max'") }
        return range.0...range.1
    }
}
