// Jinja tests (`x is name(args)`), with CPython's type facts where they show: bool counts as a number,
// strings are iterable sequences, and Undefined is iterable (it iterates as empty) as in jinja2 3.1
// `tests.py`. An unknown test is `ChatTemplateError.unsupported`.

extension JinjaInterpreter {
    func applyTest(_ name: String, _ v: JinjaValue, _ args: [JinjaValue], scope: JinjaScope?,
                   pos: JinjaSourcePosition) throws -> Bool
    {
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
            case .string, .array, .object, .undefined: return true
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
            guard case .int(let i) = v else { throw runtime("test '\(name)' needs an integer", pos) }
            if name == "odd" { return i % 2 != 0 }
            if name == "even" { return i % 2 == 0 }
            guard case .int(let d) = try arg(), d != 0 else { throw runtime("divisibleby needs a nonzero integer", pos) }
            return i % d == 0
        case "lower":
            if case .string(let s) = v { return s == s.lowercased() } else { return false }
        case "upper":
            if case .string(let s) = v { return s == s.uppercased() } else { return false }
        case "filter", "test": return false
        default:
            throw ChatTemplateError.unsupported(construct: "test '\(name)'", line: pos.line, column: pos.column)
        }
    }
}
