// JSONSchemaReward: 1 if the completion is a JSON document that validates against a JSON Schema, else 0
// — the programmatic reward for structured-output alignment (issue 6 item 2). Validation reuses
// AlignGrammar's JSON Schema front end (draft 2020-12, llguidance's semantics): the schema is compiled
// once to a grammar with compact whitespace and any property order; a completion is parsed by
// AlignGrammar's strict RFC 8259 parser, re-serialized in canonical compact form (the exact form that
// grammar generates: no whitespace, JSON.stringify escaping, numbers as written) and run byte by byte
// through the Earley recognizer; it validates iff the recognizer accepts. This is the protocol of
// AlignGrammar's JSON-Schema-Test-Suite walk (JSONSchemaBench App. D), and the tests check the reward
// against the suite's valid/invalid labels. Keywords the front end cannot compile exactly are a typed
// error at construction (or ignored with a warning when `lenient`), never silently under-checked.

import AlignGrammar

/// 1 if the completion parses as JSON and validates against the schema, else 0.
public struct JSONSchemaReward: Reward {
    /// Where the JSON document is taken from.
    public enum Extraction: String, Codable, Sendable {
        /// The whole completion (surrounding whitespace allowed, as RFC 8259 allows).
        case whole
        /// The body of the first fenced code block (```…```, an info string such as `json` is skipped)
        /// if the completion has one, else the whole completion.
        case codeFence
    }

    /// The schema as given.
    public let schema: String
    /// Where the document is taken from.
    public let extraction: Extraction
    /// Warnings of the schema compiler (ignored keywords in lenient mode, property-order fallbacks).
    public let warnings: [String]
    private let grammar: CompiledGrammar

    /// Compiles `schema` (JSON text).
    ///
    /// - Parameter lenient: ignore keywords the front end cannot enforce (with a warning) instead of failing.
    /// - Throws: `invalidReward` with AlignGrammar's message (syntax error offset, keyword and JSON pointer).
    public init(schema: String, extraction: Extraction = .whole, lenient: Bool = false) throws {
        let options = JSONSchemaOptions(whitespace: .compact, propertyOrder: .any, lenient: lenient)
        do {
            let (g, w) = try JSONSchemaGrammar.compile(schema, options: options)
            grammar = try CompiledGrammar(g, warnings: w)
            warnings = w
        } catch {
            throw AlignDecodingError.invalidReward(reason: "JSON Schema does not compile: \(error)")
        }
        self.schema = schema
        self.extraction = extraction
    }

    public func score(prompt: String, completion: String) -> Double {
        validates(completion) ? 1 : 0
    }

    /// True if the (extracted) completion parses as JSON and validates against the schema.
    public func validates(_ completion: String) -> Bool {
        let text = extraction == .codeFence ? JSONSchemaReward.fencedBody(completion) ?? completion : completion
        guard let value = try? JSONParser.parse(text) else { return false }  // not JSON: reward 0 by definition
        var parser = EarleyParser(grammar.flat)
        for byte in value.serialized.utf8 where !parser.scan(byte) { return false }
        return parser.isAccepting
    }

    /// The body of the first ``` fenced block, without its info string, or nil if there is none.
    static func fencedBody(_ text: String) -> String? {
        guard let open = text.range(of: "```") else { return nil }
        let rest = text[open.upperBound...]
        guard let newline = rest.firstIndex(of: "\n") else { return nil }
        let body = rest[rest.index(after: newline)...]
        guard let close = body.range(of: "```") else { return nil }
        return String(body[..<close.lowerBound])
    }
}
