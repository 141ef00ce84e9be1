// JinjaValue: the runtime values of the Jinja interpreter, with Python's semantics where chat templates can
// see them — truthiness, `str()` for output, `repr()` inside printed lists/dicts, deep `==`, ordered dicts.
// Mirrors jinja2 3.1 running on CPython (jinja2/runtime.py `Undefined`, jinja2/utils.py `Namespace`).
// Left out: sets, bytes, complex numbers, user objects.

/// A value inside the template interpreter.
enum JinjaValue {
    /// Jinja's `Undefined`: falsy, prints as "", iterates as empty; `name` is for error messages.
    case undefined(String)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// Python lists.
    case array([JinjaValue])
    /// Python tuples (literals like `(a, b)`, `dict.items()` pairs); they print as `(a, b)`.
    case tuple([JinjaValue])
    case object(JinjaObject)
    /// `namespace(...)`: mutable through `{% set ns.attr = ... %}`, so a reference type.
    case namespace(JinjaNamespace)
    case callable(JinjaCallable)
    /// A lazy Python iterator, as jinja2's select/reject/map/unique/items/reverse filters return: always
    /// truthy, no len(), and used up by the first iteration.
    case iterator(JinjaIterator)
}

/// The state of a lazy filter result (a Python generator or reverse iterator).
final class JinjaIterator {
    let kind: String
    private let items: [JinjaValue]
    private var position = 0
    /// A generator whose first step raises (its input was not iterable): jinja2 only fails when it is used.
    let fails: Bool
    init(kind: String, items: [JinjaValue], fails: Bool = false) {
        self.kind = kind
        self.items = items
        self.fails = fails
    }

    /// The items not yet consumed; consumes them all.
    func drain() -> [JinjaValue] {
        defer { position = items.count }
        return Array(items[position...])
    }

    /// The next item, if any (Python's `next(iter(gen))`).
    func next() -> JinjaValue? {
        guard position < items.count else { return nil }
        position += 1
        return items[position - 1]
    }
}

/// An insertion-ordered string-keyed dictionary (Python dict semantics for chat templates).
struct JinjaObject {
    private(set) var keys: [String] = []
    private var storage: [String: JinjaValue] = [:]

    init() {}
    init(_ pairs: [(String, JinjaValue)]) {
        for (k, v) in pairs { self[k] = v }
    }

    subscript(key: String) -> JinjaValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    var count: Int { keys.count }
    var pairs: [(String, JinjaValue)] { keys.map { ($0, storage[$0] ?? .none) } }
}

/// The object behind `namespace(...)`.
final class JinjaNamespace {
    var attributes: JinjaObject
    init(_ attributes: JinjaObject) { self.attributes = attributes }
}

/// A builtin's failure; the call site turns it into `ChatTemplateError.runtime` at the call's position.
struct JinjaCallError: Error {
    let message: String
}

/// A function value: a builtin global (`raise_exception`, `namespace`, `range` …) or a `{% macro %}`.
struct JinjaCallable {
    let name: String
    let call: (_ args: [JinjaValue], _ kwargs: [(String, JinjaValue)]) throws -> JinjaValue
}

extension JinjaValue {
    /// Builds a runtime value from the public JSON input type.
    init(_ json: ChatJSON) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(JinjaValue.init))
        case .object(let pairs): self = .object(JinjaObject(pairs.map { ($0.0, JinjaValue($0.1)) }))
        }
    }

    /// Whether this is a lazy iterator (checked without consuming it).
    var isIteratorLike: Bool {
        if case .iterator = self { return true }
        return false
    }

    /// The items of a list or tuple.
    var sequenceItems: [JinjaValue]? {
        switch self {
        case .array(let a), .tuple(let a): return a
        default: return nil
        }
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// Python truthiness (Undefined is falsy, as in jinja2).
    var truthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a), .tuple(let a): return !a.isEmpty
        case .object(let o): return o.count > 0
        case .namespace, .callable, .iterator: return true
        }
    }

    /// Python's type name, for error messages that match jinja2's.
    var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .tuple: return "tuple"
        case .object: return "dict"
        case .namespace: return "Namespace"
        case .callable: return "function"
        case .iterator(let it): return it.kind
        }
    }

    /// What `{{ value }}` prints: Python's `str()` (Undefined prints as "").
    var outputString: String {
        switch self {
        case .undefined: return ""
        case .string(let s): return s
        default: return pythonRepr
        }
    }

    /// Python's `repr()`, used for values nested in printed lists and dicts.
    var pythonRepr: String {
        switch self {
        case .undefined: return ""
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return JinjaPython.floatRepr(d)
        case .string(let s): return JinjaPython.stringRepr(s)
        case .array(let a): return "[" + a.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let a): return "(" + a.map(\.pythonRepr).joined(separator: ", ") + (a.count == 1 ? ",)" : ")")
        case .object(let o):
            return "{" + o.pairs.map { JinjaPython.stringRepr($0.0) + ": " + $0.1.pythonRepr }.joined(separator: ", ") + "}"
        case .namespace(let ns): return "<Namespace " + JinjaValue.object(ns.attributes).pythonRepr + ">"
        case .callable(let f): return "<function \(f.name)>"
        case .iterator(let it): return "<\(it.kind) object>"
        }
    }

    /// The elements `for` iterates: list items, dict keys, string characters; Undefined iterates as empty.
    func iterated() -> [JinjaValue]? {
        switch self {
        case .undefined: return []
        case .array(let a), .tuple(let a): return a
        case .object(let o): return o.keys.map { .string($0) }
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }  // code points, as Python
        case .namespace(let ns): return ns.attributes.keys.map { .string($0) }
        case .iterator(let it): return it.fails ? nil : it.drain()
        default: return nil
        }
    }

    /// Number as Double (bools count as 0/1, as in Python).
    var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
}

/// Python `==`: deep on lists and dicts, numeric across int/float/bool.
func jinjaEquals(_ a: JinjaValue, _ b: JinjaValue) -> Bool {
    switch (a, b) {
    case (.undefined, .undefined), (.none, .none): return true
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)), (.tuple(let x), .tuple(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { jinjaEquals($0, $1) }
    case (.object(let x), .object(let y)):
        guard x.count == y.count else { return false }
        return x.pairs.allSatisfy { key, value in y[key].map { jinjaEquals(value, $0) } ?? false }
    case (.namespace(let x), .namespace(let y)): return x === y
    case (.iterator(let x), .iterator(let y)): return x === y
    default:
        if let x = a.number, let y = b.number, !a.isStringLike, !b.isStringLike { return x == y }
        return false
    }
}

extension JinjaValue {
    fileprivate var isStringLike: Bool {
        if case .string = self { return true }
        return false
    }
}
