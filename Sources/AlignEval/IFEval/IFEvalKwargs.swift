// IFEvalKwargs: one instruction's keyword arguments as stored in IFEval's input_data.jsonl.
//
// Mirrors the reference's `build_description(**kwargs)` inputs. Null and other falsy values are dropped first,
// as lm-eval does for the Hugging Face copy `google/IFEval` (which stores every kwarg key, null when unused);
// the google-research file stores only the keys an instruction uses, so this changes nothing there.
// Where the reference would substitute a *random* value for a missing or out-of-range kwarg, we throw instead:
// a score must not depend on a coin flip.

/// A kwarg value: JSON scalars and string lists.
public enum IFEvalKwargValue: Decodable, Equatable, Sendable {
    case int(Int)
    case double(Double)
    case string(String)
    case strings([String])
    case bool(Bool)
    case null

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else { self = .strings(try c.decode([String].self)) }
    }

    /// Python truthiness: null, false, 0, "" and [] are falsy.
    var isTruthy: Bool {
        switch self {
        case .null: return false
        case let .bool(b): return b
        case let .int(i): return i != 0
        case let .double(d): return d != 0
        case let .string(s): return !s.isEmpty
        case let .strings(a): return !a.isEmpty
        }
    }
}

/// The kwargs of one instruction instance, with typed accessors that name the prompt and instruction on error.
public struct IFEvalKwargs: Sendable {
    /// Prompt key and instruction id, for error messages.
    public let key: Int
    /// The instruction id, for error messages.
    public let id: String
    let values: [String: IFEvalKwargValue]

    /// Kwargs with falsy values removed.
    public init(key: Int, id: String, values: [String: IFEvalKwargValue]) {
        self.key = key
        self.id = id
        self.values = values.filter { $0.value.isTruthy }
    }

    func error(_ name: String, _ expected: String) -> AlignEvalError {
        .invalidKwarg(key: key, id: id, kwarg: name, expected: expected)
    }

    /// A non-negative integer kwarg (an integral float is accepted).
    func count(_ name: String) throws -> Int {
        switch values[name] {
        case let .int(i)? where i >= 0: return i
        case let .double(d)? where d >= 0 && d == d.rounded() && d < 1e15: return Int(d)
        default: throw error(name, "a non-negative integer")
        }
    }

    /// A string kwarg.
    func string(_ name: String) throws -> String {
        guard case let .string(s)? = values[name] else { throw error(name, "a non-empty string") }
        return s
    }

    /// A list-of-strings kwarg.
    func strings(_ name: String) throws -> [String] {
        guard case let .strings(a)? = values[name] else { throw error(name, "a non-empty list of strings") }
        return a
    }

    /// The comparison relation: "less than" (count < N) or "at least" (count ≥ N).
    func relation(_ name: String) throws -> IFEvalRelation {
        switch try string(name) {
        case "less than": return .lessThan
        case "at least": return .atLeast
        default: throw error(name, "\"less than\" or \"at least\"")
        }
    }
}

/// The reference's `_COMPARISON_RELATION`.
public enum IFEvalRelation: Sendable {
    case lessThan, atLeast

    func holds(_ count: Int, _ threshold: Int) -> Bool {
        switch self {
        case .lessThan: return count < threshold
        case .atLeast: return count >= threshold
        }
    }
}
