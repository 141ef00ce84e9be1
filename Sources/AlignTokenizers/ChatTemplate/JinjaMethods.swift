// Python methods that chat templates call on values: str (strip/lstrip/rstrip, split, startswith/endswith,
// replace, upper/lower/title/capitalize, find, count, join, splitlines, format, is*, removeprefix/suffix),
// dict (items/keys/values/get) and list (count/index). jinja2's sandbox exposes exactly Python's methods;
// these mirror CPython's semantics for the arguments templates pass. A name Python lacks fails like jinja2
// (UndefinedError), mutating methods fail like transformers' immutable sandbox, and a real Python method not
// implemented here is `ChatTemplateError.unsupported` with its position.

extension JinjaInterpreter {
    func callMethod(_ base: JinjaValue, _ name: String, _ args: [JinjaValue], _ kwargs: [(String, JinjaValue)],
                    pos: JinjaSourcePosition) throws -> JinjaValue
    {
        switch base {
        case .string(let s):
            if name == "format" { return .string(try pythonFormat(s, args, kwargs, pos: pos)) }
            return try stringMethod(s, name, args, pos: pos)
        case .object(let o): return try dictMethod(o, name, args, pos: pos)
        case .array(let a), .tuple(let a):
            if name == "count" { return .int(a.filter { jinjaEquals($0, args.first ?? .none) }.count) }
            if name == "index", let at = a.firstIndex(where: { jinjaEquals($0, args.first ?? .none) }) { return .int(at) }
            if name == "index" { throw runtime("value is not in list", pos) }
        case .undefined(let n): throw runtime("'\(n)' is undefined", pos)
        default: break
        }
        throw missingMethod(base, name, pos: pos)
    }

    /// jinja2 on a method a value does not offer: a name Python lacks is Undefined, and calling it raises
    /// UndefinedError; mutating methods raise SecurityError in transformers' immutable sandbox; other real
    /// Python methods are ones this interpreter does not implement.
    func missingMethod(_ base: JinjaValue, _ name: String, pos: JinjaSourcePosition) -> ChatTemplateError {
        let type = base.typeName
        if Self.mutatingMethods[type]?.contains(name) == true {
            return runtime("access to attribute '\(name)' of '\(type)' object is unsafe.", pos)
        }
        if Self.pythonMethods[type]?.contains(name) == true {
            return .unsupported(construct: "method '\(type).\(name)()'", line: pos.line, column: pos.column)
        }
        return runtime("'\(type) object' has no attribute '\(name)'", pos)
    }

    private static let pythonMethods: [String: Set<String>] = [
        "str": ["capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find", "format",
                "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier",
                "islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower",
                "lstrip", "maketrans", "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex",
                "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase",
                "title", "translate", "upper", "zfill"],
        "dict": ["copy", "fromkeys", "get", "items", "keys", "values"],
        "list": ["copy", "count", "index"],
        "tuple": ["count", "index"],
    ]
    private static let mutatingMethods: [String: Set<String>] = [
        "dict": ["clear", "pop", "popitem", "setdefault", "update"],
        "list": ["append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"],
    ]

    private func stringArg(_ args: [JinjaValue], _ k: Int) -> String? {
        guard k < args.count, case .string(let s) = args[k] else { return nil }
        return s
    }

    private func stringMethod(_ s: String, _ name: String, _ args: [JinjaValue], pos: JinjaSourcePosition) throws
        -> JinjaValue
    {
        switch name {
        case "strip": return .string(JinjaPython.strip(s, chars: stringArg(args, 0), leading: true, trailing: true))
        case "lstrip": return .string(JinjaPython.strip(s, chars: stringArg(args, 0), leading: true, trailing: false))
        case "rstrip": return .string(JinjaPython.strip(s, chars: stringArg(args, 0), leading: false, trailing: true))
        case "upper": return .string(s.uppercased())
        case "lower": return .string(s.lowercased())
        case "title": return .string(JinjaPython.title(s))
        case "capitalize": return .string(JinjaPython.capitalize(s))
        case "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper":
            return .bool(stringPredicate(name, s))
        case "join":
            guard let items = args.first?.iterated() else { throw runtime("join() takes an iterable", pos) }
            return .string(items.map(\.outputString).joined(separator: s))
        default:
            if let result = try stringSearchMethod(s, name, args, pos: pos) { return result }
            throw missingMethod(.string(s), name, pos: pos)
        }
    }

    /// str methods that look for substrings: affix tests, split, replace, find, count, removeprefix/suffix.
    private func stringSearchMethod(_ s: String, _ name: String, _ args: [JinjaValue], pos: JinjaSourcePosition)
        throws -> JinjaValue?
    {
        let scalars = Array(s.unicodeScalars)
        switch name {
        case "startswith", "endswith":
            let candidates: [String]
            switch args.first {
            case .string(let p)?: candidates = [p]
            case .array(let a)?, .tuple(let a)?: candidates = a.compactMap { if case .string(let p) = $0 { return p } else { return nil } }
            default: throw runtime("\(name) first arg must be str or a tuple of str", pos)
            }
            return .bool(candidates.contains { p in
                let ps = Array(p.unicodeScalars)
                return name == "startswith" ? scalars.starts(with: ps) : scalars.reversed().starts(with: ps.reversed())
            })
        case "split":
            var maxSplit = -1
            if args.count > 1, case .int(let m) = args[1] { maxSplit = m }
            return .array(JinjaPython.split(s, separator: stringArg(args, 0), maxSplit: maxSplit).map { .string($0) })
        case "splitlines": return .array(JinjaPython.splitLines(s).map { .string($0) })
        case "replace":
            guard let old = stringArg(args, 0), let new = stringArg(args, 1) else {
                throw runtime("replace() takes two string arguments", pos)
            }
            var count = -1
            if args.count > 2, case .int(let c) = args[2] { count = c }
            return .string(JinjaPython.replace(s, old, new, count: count))
        case "find", "count":
            guard let needle = stringArg(args, 0) else { throw runtime("\(name)() takes a string", pos) }
            if name == "find" { return .int(JinjaPython.scalarIndex(of: needle, in: s) ?? -1) }
            return .int(JinjaPython.split(s, separator: needle, maxSplit: -1).count - 1)
        case "removeprefix", "removesuffix":
            guard let affix = stringArg(args, 0) else { throw runtime("\(name)() takes a string", pos) }
            let a = Array(affix.unicodeScalars)
            if name == "removeprefix", scalars.starts(with: a) {
                return .string(String(String.UnicodeScalarView(scalars.dropFirst(a.count))))
            }
            if name == "removesuffix", !a.isEmpty, scalars.reversed().starts(with: a.reversed()) {
                return .string(String(String.UnicodeScalarView(scalars.dropLast(a.count))))
            }
            return .string(s)
        default:
            return nil
        }
    }

    /// Python's str.format for plain fields: `{}`, `{0}`, `{name}`, `{{`, `}}` (format specs are unsupported).
    private func pythonFormat(_ s: String, _ args: [JinjaValue], _ kwargs: [(String, JinjaValue)],
                              pos: JinjaSourcePosition) throws -> String
    {
        var out = "", field: String?, auto = 0
        var chars = Array(s)[...]
        while let c = chars.popFirst() {
            if var f = field {
                guard c == "}" else { f.append(c); field = f; continue }
                field = nil
                if f.contains(":") || f.contains("!") {
                    throw ChatTemplateError.unsupported(construct: "format spec '{\(f)}'", line: pos.line, column: pos.column)
                }
                let value: JinjaValue?
                if f.isEmpty { value = auto < args.count ? args[auto] : nil; auto += 1 } else if let k = Int(f) {
                    value = k < args.count ? args[k] : nil
                } else {
                    value = kwargs.first(where: { $0.0 == f })?.1
                }
                guard let value else { throw runtime("format field '{\(f)}' has no argument", pos) }
                out += value.outputString
            } else if c == "{", chars.first == "{" {
                chars.removeFirst(); out.append("{")
            } else if c == "}", chars.first == "}" {
                chars.removeFirst(); out.append("}")
            } else if c == "{" {
                field = ""
            } else {
                out.append(c)
            }
        }
        if field != nil { throw runtime("single '{' encountered in format string", pos) }
        return out
    }

    func stringPredicate(_ name: String, _ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        switch name {
        case "isdigit": return s.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal || $0.properties.numericType == .digit }
        case "isalpha": return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic }
        case "isalnum": return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        case "isspace": return s.unicodeScalars.allSatisfy(JinjaPython.isWhitespace)
        case "islower": return s == s.lowercased() && s != s.uppercased()
        default: return s == s.uppercased() && s != s.lowercased()
        }
    }

    private func dictMethod(_ o: JinjaObject, _ name: String, _ args: [JinjaValue], pos: JinjaSourcePosition) throws
        -> JinjaValue
    {
        switch name {
        case "items": return .array(o.pairs.map { .tuple([.string($0.0), $0.1]) })
        case "keys": return .array(o.keys.map { .string($0) })
        case "values": return .array(o.pairs.map { $0.1 })
        case "get":
            guard case .string(let key)? = args.first else { return args.count > 1 ? args[1] : .none }
            return o[key] ?? (args.count > 1 ? args[1] : .none)
        default:
            throw missingMethod(.object(o), name, pos: pos)
        }
    }
}
