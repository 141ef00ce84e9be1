// Binary operators with Python's typing rules: `+` on numbers, strings and lists (other mixes are a
// TypeError, as in jinja2), `/` always floating, `//` and `%` flooring like Python, `~` string concatenation,
// deep `==`, ordering on numbers or strings (by code point), and `in` for substrings, list items, dict keys.
import Foundation

extension JinjaInterpreter {
    func binary(_ op: String, _ l: JinjaValue, _ r: JinjaValue, pos: JinjaSourcePosition) throws -> JinjaValue {
        switch op {
        case "~": return .string(l.outputString + r.outputString)
        case "==": return .bool(jinjaEquals(l, r))
        case "!=": return .bool(!jinjaEquals(l, r))
        case "in": return .bool(try contains(r, l, pos: pos))
        case "not in": return .bool(!(try contains(r, l, pos: pos)))
        case "<", ">", "<=", ">=": return .bool(try compare(op, l, r, pos: pos))
        case "+": return try add(l, r, pos: pos)
        default: return try arithmetic(op, l, r, pos: pos)
        }
    }

    private func typeError(_ op: String, _ l: JinjaValue, _ r: JinjaValue, _ pos: JinjaSourcePosition) -> ChatTemplateError {
        if case .undefined(let n) = l { return runtime("'\(n)' is undefined", pos) }
        if case .undefined(let n) = r { return runtime("'\(n)' is undefined", pos) }
        return runtime("unsupported operand type(s) for \(op): '\(l.typeName)' and '\(r.typeName)'", pos)
    }

    private func add(_ l: JinjaValue, _ r: JinjaValue, pos: JinjaSourcePosition) throws -> JinjaValue {
        switch (l, r) {
        case (.string(let a), .string(let b)): return .string(a + b)
        case (.array(let a), .array(let b)): return .array(a + b)
        case (.tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.int(let a), .int(let b)):
            let (sum, overflow) = a.addingReportingOverflow(b)
            if overflow { throw runtime("integer overflow in +", pos) }
            return .int(sum)
        default:
            if let a = l.number, let b = r.number, l.isNumeric, r.isNumeric { return numeric(a + b, l, r) }
            throw typeError("+", l, r, pos)
        }
    }

    private func numeric(_ d: Double, _ l: JinjaValue, _ r: JinjaValue) -> JinjaValue {
        if l.isIntegral && r.isIntegral, let i = Int(exactly: d) { return .int(i) }
        return .double(d)
    }

    private func arithmetic(_ op: String, _ l: JinjaValue, _ r: JinjaValue, pos: JinjaSourcePosition) throws -> JinjaValue {
        if op == "%", case .string(let format) = l { return .string(try percentFormat(format, r, pos: pos)) }
        if op == "*" {
            // bools count as 0/1 on either side of a repetition, as in Python
            let (l, r) = (l.boolAsInt, r.boolAsInt)
            switch (l, r) {
            case (.string(let s), .int(let n)), (.int(let n), .string(let s)):
                try checkRepetition(s.utf8.count, n, pos)
                return .string(String(repeating: s, count: max(n, 0)))
            case (.array(let a), .int(let n)), (.int(let n), .array(let a)):
                try checkRepetition(a.count, n, pos)
                return .array(Array(repeating: a, count: max(n, 0)).flatMap { $0 })
            case (.tuple(let a), .int(let n)), (.int(let n), .tuple(let a)):
                try checkRepetition(a.count, n, pos)
                return .tuple(Array(repeating: a, count: max(n, 0)).flatMap { $0 })
            default: break
            }
        }
        guard l.isNumeric, r.isNumeric, let a = l.number, let b = r.number else { throw typeError(op, l, r, pos) }
        if l.isIntegral, r.isIntegral, let x = l.intValue, let y = r.intValue, op != "/" {
            return try integerArithmetic(op, x, y, pos: pos)
        }
        switch op {
        case "-": return .double(a - b)
        case "*": return .double(a * b)
        case "**":
            if a == 0 && b < 0 { throw runtime("0.0 cannot be raised to a negative power", pos) }
            if a < 0 && b != b.rounded() { throw runtime("a negative number to a fractional power is complex", pos) }
            return .double(Foundation.pow(a, b))
        case "/":
            guard b != 0 else { throw runtime("division by zero", pos) }
            return .double(a / b)
        case "//", "%":
            guard b != 0 else { throw runtime("float floor division or modulo by zero", pos) }
            if op == "//" { return .double((a / b).rounded(.down)) }
            // Python's float %: the result takes the divisor's sign (0 % -1.5 is -0.0).
            var r = a.truncatingRemainder(dividingBy: b)
            if r != 0 && (r < 0) != (b < 0) { r += b }
            return .double(r == 0 ? (b < 0 ? -0.0 : 0.0) : r)
        default:
            throw ChatTemplateError.unsupported(construct: "operator '\(op)'", line: pos.line, column: pos.column)
        }
    }

    /// Python int arithmetic: exact, flooring `//` and `%`, `**` with a negative exponent gives a float.
    private func integerArithmetic(_ op: String, _ x: Int, _ y: Int, pos: JinjaSourcePosition) throws -> JinjaValue {
        let result: (Int, Bool)
        switch op {
        case "-": result = x.subtractingReportingOverflow(y)
        case "*": result = x.multipliedReportingOverflow(by: y)
        case "**":
            if y < 0 {
                if x == 0 { throw runtime("0.0 cannot be raised to a negative power", pos) }
                return .double(Foundation.pow(Double(x), Double(y)))
            }
            var acc = 1, base = x, e = y, overflow = false
            while e > 0 && !overflow {
                if e & 1 == 1 { (acc, overflow) = acc.multipliedReportingOverflow(by: base) }
                e >>= 1
                if e > 0 && !overflow { (base, overflow) = base.multipliedReportingOverflow(by: base) }
            }
            result = (acc, overflow)
        case "//", "%":
            guard y != 0 else { throw runtime("integer division or modulo by zero", pos) }
            let (q, overflow) = x.dividedReportingOverflow(by: y)
            let r = x.remainderReportingOverflow(dividingBy: y).partialValue
            let adjust = r != 0 && (r < 0) != (y < 0)
            result = op == "//" ? (adjust ? q - 1 : q, overflow) : (adjust ? r + y : r, false)
        default:
            throw ChatTemplateError.unsupported(construct: "operator '\(op)'", line: pos.line, column: pos.column)
        }
        if result.1 { throw runtime("integer overflow in \(op)", pos) }
        return .int(result.0)
    }

    /// `"ab" * n`, `[x] * n`: refuse results past 64 Mi elements rather than exhaust memory.
    private func checkRepetition(_ size: Int, _ n: Int, _ pos: JinjaSourcePosition) throws {
        let (total, overflow) = size.multipliedReportingOverflow(by: max(n, 0))
        if overflow || total > 1 << 26 { throw runtime("repetition result too large", pos) }
    }

    private func compare(_ op: String, _ l: JinjaValue, _ r: JinjaValue, pos: JinjaSourcePosition) throws -> Bool {
        let order: Int
        if l.isNumeric, r.isNumeric, let a = l.number, let b = r.number {
            order = a < b ? -1 : (a > b ? 1 : 0)
        } else if case .string(let a) = l, case .string(let b) = r {
            order = a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : (a == b ? 0 : 1)
        } else if let a = l.sequenceItems, let b = r.sequenceItems, l.typeName == r.typeName {
            order = try sequenceOrder(a, b, pos: pos)
        } else {
            throw runtime("'\(op)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'", pos)
        }
        switch op {
        case "<": return order < 0
        case ">": return order > 0
        case "<=": return order <= 0
        default: return order >= 0
        }
    }

    /// Python's lexicographic list/tuple ordering: the first unequal pair decides, else the shorter is less.
    private func sequenceOrder(_ a: [JinjaValue], _ b: [JinjaValue], pos: JinjaSourcePosition) throws -> Int {
        for (x, y) in zip(a, b) where !jinjaEquals(x, y) {
            return try compare("<", x, y, pos: pos) ? -1 : 1
        }
        return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
    }

    /// Python's `needle in container`.
    func contains(_ container: JinjaValue, _ needle: JinjaValue, pos: JinjaSourcePosition) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let n) = needle else {
                throw runtime("'in <string>' requires string as left operand, not \(needle.typeName)", pos)
            }
            return n.isEmpty || s.contains(n)
        case .array(let a), .tuple(let a): return a.contains { jinjaEquals($0, needle) }
        case .object(let o):
            switch needle {
            case .string(let key): return o[key] != nil
            case .array, .object: throw runtime("unhashable type: '\(needle.typeName)'", pos)
            default: return false
            }
        case .namespace(let ns):
            guard case .string(let key) = needle else { return false }
            return ns.attributes[key] != nil
        case .undefined: return false
        case .iterator(let it):
            guard !it.fails else { throw runtime("'\(it.kind)' object is not iterable", pos) }
            return it.drain().contains { jinjaEquals($0, needle) }
        default: throw runtime("argument of type '\(container.typeName)' is not iterable", pos)
        }
    }
}

extension JinjaValue {
    var isNumeric: Bool {
        switch self {
        case .int, .double, .bool: return true
        default: return false
        }
    }

    /// A bool as the int Python treats it as; other values unchanged.
    var boolAsInt: JinjaValue {
        if case .bool(let b) = self { return .int(b ? 1 : 0) }
        return self
    }

    /// The integer value of an int or bool.
    var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    var isIntegral: Bool {
        switch self {
        case .int, .bool: return true
        default: return false
        }
    }
}
