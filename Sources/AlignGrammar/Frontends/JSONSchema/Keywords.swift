// Keywords: the draft 2020-12 keyword table — what we compile, what is annotation only, and what we
// refuse (error naming the keyword and pointer, or a warning in lenient mode). Unknown keywords are
// annotations by the spec (2020-12 core §6.5) and are ignored — except draft-07's `dependencies`,
// which is compiled like its 2020-12 successors (dependentRequired / dependentSchemas) rather than
// silently ignored in the older schemas that still use it.

enum Keywords {
    /// Keywords the compiler reads.
    static let handled: Set<String> = [
        "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties",
        "propertyNames", "items", "prefixItems", "minItems", "maxItems", "uniqueItems", "minLength",
        "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minProperties", "maxProperties", "allOf", "anyOf", "oneOf", "$ref",
        "not", "if", "then", "else", "dependentRequired", "dependentSchemas", "dependencies",
        // Private keywords of synthesized negations (SchemaCompiler+Negation).
        "$align:notPattern", "$align:notStrings", "$align:notNumbers",
    ]
    /// Keywords with no effect on validity.
    static let annotations: Set<String> = [
        "$schema", "$id", "$anchor", "$comment", "$defs", "definitions", "$vocabulary", "title", "description",
        "default", "examples", "deprecated", "readOnly", "writeOnly", "contentMediaType", "contentEncoding",
        "contentSchema",
    ]
    /// Keywords with validation semantics we do not compile.
    static let unsupported: Set<String> = [
        "contains", "minContains", "maxContains",
        "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef",
    ]
    /// Keywords that combine subschemas (not read from a flat conjunct).
    static let combinators: Set<String> = ["allOf", "anyOf", "oneOf", "$ref", "not", "if", "then", "else",
                                           "dependentRequired", "dependentSchemas", "dependencies"]

    /// Whether the object carries any validation keyword other than the combinators.
    static func constrains(_ members: [JSONMember]) -> Bool {
        members.contains { handled.contains($0.key) && !combinators.contains($0.key) }
    }
}
