// Keywords: the draft 2020-12 keyword table — what we compile, what is annotation only, and what we
// refuse (error naming the keyword and pointer, or a warning in lenient mode). Unknown keywords are
// annotations by the spec (2020-12 core §6.5) and are ignored.

enum Keywords {
    /// Keywords the compiler reads.
    static let handled: Set<String> = [
        "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties",
        "propertyNames", "items", "prefixItems", "minItems", "maxItems", "uniqueItems", "minLength",
        "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minProperties", "maxProperties", "allOf", "anyOf", "oneOf", "$ref",
    ]
    /// Keywords with no effect on validity.
    static let annotations: Set<String> = [
        "$schema", "$id", "$anchor", "$comment", "$defs", "definitions", "$vocabulary", "title", "description",
        "default", "examples", "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
        "contentSchema",
    ]
    /// Keywords with validation semantics we do not compile.
    static let unsupported: Set<String> = [
        "not", "if", "contains", "minContains", "maxContains", "dependentRequired", "dependentSchemas",
        "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef",
    ]
    /// Keywords that combine subschemas (not read from a flat conjunct).
    static let combinators: Set<String> = ["allOf", "anyOf", "oneOf", "$ref"]

    /// Whether the object carries any validation keyword other than the combinators.
    static func constrains(_ members: [JSONMember]) -> Bool {
        members.contains { handled.contains($0.key) && !combinators.contains($0.key) }
    }
}
