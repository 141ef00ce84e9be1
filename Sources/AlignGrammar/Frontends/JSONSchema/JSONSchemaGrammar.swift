// JSONSchemaGrammar: the JSON Schema (draft 2020-12) front end's public entry point and options.
// Semantics follow llguidance's docs/json_schema.md where choices exist: keywords we cannot compile
// exactly are errors naming the keyword and its JSON pointer (or warnings with `lenient`); formats are
// enforced; strings are generated in canonical JSON form (JSON.stringify escaping); `oneOf` compiles
// as `anyOf` only when its branches are provably disjoint.

/// Options of the JSON Schema front end.
public struct JSONSchemaOptions: Sendable {
    /// Whitespace allowed between JSON tokens.
    public enum Whitespace: Sendable, Equatable {
        /// No whitespace at all (`{"a":1}`).
        case compact
        /// Up to `maxRun` of space, tab, CR, LF at each place JSON allows whitespace.
        case flexible(maxRun: Int)
    }
    /// Order of object properties.
    public enum PropertyOrder: Sendable, Equatable {
        /// Declared properties in schema order (others anywhere among them).
        case declared
        /// Any order; exact for objects with up to `maxAnyOrderProperties` declared properties,
        /// larger objects fall back to declared order with a warning.
        case any
    }

    public var whitespace: Whitespace = .flexible(maxRun: 16)
    public var propertyOrder: PropertyOrder = .declared
    /// Report unsupported keywords as warnings (and ignore them) instead of failing.
    public var lenient = false
    public var maxAnyOrderProperties = 8
    /// Upper bound on the alternatives one schema expands to (anyOf × allOf products).
    public var maxAlternatives = 256
    /// Upper bound on the alternatives of nested `$ref`s inlined next to sibling keywords (each
    /// alternative is compiled separately, e.g. patterns intersected with negated patterns).
    public var maxInlinedAlternatives = 32
    /// Upper bound on one terminal automaton.
    public var maxTerminalStates = 50_000

    public init(whitespace: Whitespace = .flexible(maxRun: 16), propertyOrder: PropertyOrder = .declared,
                lenient: Bool = false) {
        self.whitespace = whitespace; self.propertyOrder = propertyOrder; self.lenient = lenient
    }
}

/// Compiles JSON Schemas to grammars.
public enum JSONSchemaGrammar {
    /// Compiles schema text. Returns the grammar and the warnings collected (lenient mode, fallbacks).
    public static func compile(_ text: String, options: JSONSchemaOptions = JSONSchemaOptions()) throws -> (grammar: Grammar, warnings: [String]) {
        try compile(JSONParser.parse(text), options: options)
    }

    /// Compiles a parsed schema.
    public static func compile(_ schema: JSONValue, options: JSONSchemaOptions = JSONSchemaOptions()) throws -> (grammar: Grammar, warnings: [String]) {
        let c = SchemaCompiler(root: schema, options: options)
        let root = c.b.newRule("root")
        c.b.define(root, try c.expr(Located(value: schema, ptr: "#")))
        return (try c.b.build(start: root), c.warnings)
    }

    /// Compiles straight to a `CompiledGrammar`.
    public static func compiled(_ text: String, options: JSONSchemaOptions = JSONSchemaOptions()) throws -> CompiledGrammar {
        let (g, w) = try compile(text, options: options)
        return try CompiledGrammar(g, warnings: w)
    }
}

/// A schema value with its JSON pointer (for messages and `$ref` identity).
struct Located {
    let value: JSONValue
    let ptr: String
    func child(_ v: JSONValue, _ path: String...) -> Located {
        Located(value: v, ptr: ptr + path.map { "/" + $0.replacingTilde() }.joined())
    }
}

extension String {
    func replacingTilde() -> String {
        var out = ""
        for c in self { out += c == "~" ? "~0" : c == "/" ? "~1" : String(c) }
        return out
    }
}
