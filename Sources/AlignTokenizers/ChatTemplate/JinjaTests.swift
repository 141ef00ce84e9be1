// Jinja tests (`x is name(args)`), with CPython's type facts where they show: bool counts as a number,
// strings are iterable sequences, and Undefined is iterable (it iterates as empty) as in jinja2 3.1
// `tests.py`. An unknown test is `ChatTemplateError.unsupported`.

extension JinjaInterpreter {
    private static let singleArgumentTests: Set<String> = [
        "defined", "undefined", "none", "string", "mapping", "boolean", "true", "false", "integer", "float", "number",
        "callable", "iterable", "sequence", "odd", "even", "lower", "upper",
    ]

    func applyTest(_ name: String, _ v: JinjaValue, _ args: [JinjaValue], scope: JinjaScope?,
                   pos: JinjaSourcePosition) throws -> Bool
    {
        if Self.singleArgumentTests.contains(name), !args.isEmpty {
            // `x is boolean not` passes `not` as an argument in jinja2, and the test then fails on it.
            throw runtime("test_\(name)() takes 1 positional argument but \(args.count + 1) were given", pos)
        }
        func arg() throws -> JinjaValue {
            guard let a = args.first else { throw runtime("test '\(name)' needs an argument", pos) }
            return a
        }
        switch name {
        case "defined": return !v.isUndefined
        case "undefined": return v.isUndefined
        case "none": if case .none = v { return true } else { return false }
        case "string": if case .string = v { return true } else { return false }
        case "mapping": if case .object = v { return true } else { return false }
        case "boolean": if case .bool = v { return true } else { return false }
        case "true": if case .bool(true) = v { return true } else { return false }
        case "false": if case .bool(false) = v { return true } else { return false }
        case "integer": if case .int = v { return true } else { return false }
        case "float": if case .double = v { return true } else { return false }
        case "number": return v.isNumeric
        case "callable": if case .callable = v { return true } else { return false }
        case "iterable", "sequence":
            switch v {
            case .string, .array, .tuple, .object, .undefined: return true
            case .iterator: return name == "iterable"  // a generator has no len(), so it is no sequence
            default: return false
            }
        case "in": return try contains(try arg(), v, pos: pos)
        case "eq", "equalto", "==": return jinjaEquals(v, try arg())
        case "ne", "!=": return !jinjaEquals(v, try arg())
        case "sameas":
            let other = try arg()
            if case .namespace(let a) = v, case .namespace(let b) = other { return a === b }
            return jinjaEquals(v, other) && v.typeName == other.typeName
        case "lt", "lessthan", "<": return try binary("<", v, try arg(), pos: pos).truthy
        case "le", "<=": return try binary("<=", v, try arg(), pos: pos).truthy
        case "gt", "greaterthan", ">": return try binary(">", v, try arg(), pos: pos).truthy
        case "ge", ">=": return try binary(">=", v, try arg(), pos: pos).truthy
        case "odd", "even", "divisibleby":
            // jinja2: `value % 2 == 1`, `value % 2 == 0`, `value % num == 0` — any Python number works.
            let divisor = name == "divisibleby" ? try arg() : .int(2)
            let remainder = try binary("%", v, divisor, pos: pos)
            return jinjaEquals(remainder, .int(name == "odd" ? 1 : 0))
        case "lower", "upper":
            // jinja2: str(value).islower() / .isupper() — needs at least one cased character.
            return stringPredicate("is" + name, v.outputString)
        case "filter", "test": return false
        default:
            throw ChatTemplateError.unsupported(construct: "test '\(name)'", line: pos.line, column: pos.column)
        }
    }
}
