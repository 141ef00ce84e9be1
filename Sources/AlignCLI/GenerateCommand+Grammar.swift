// GenerateCommand+Grammar: `align generate --schema F | --gbnf F | --regex R | --lark F` — compiles the grammar with
// AlignGrammar (JSON Schema with flexible whitespace and declared property order, as `align grammar` does by
// default) and returns the logits processor that masks every step to it.
import AlignDecoding
import AlignGrammar
import AlignTokenizers
import ArgumentParser
import Foundation

extension GenerateCommand {
    /// The grammar processor of --schema / --gbnf / --regex / --lark, nil without one.
    func grammarProcessor(tokenizer: Tokenizer, logitDimension: Int, parameters p: GenerateParameters) throws -> GrammarProcessor? {
        guard schema != nil || gbnf != nil || regex != nil || lark != nil else { return nil }
        func read(_ path: String, _ flag: String) throws -> String {
            do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ValidationError("cannot read --\(flag) \(path): \(error.localizedDescription)")
            }
        }
        let grammar: CompiledGrammar
        do {
            if let schema {
                let (g, warnings) = try JSONSchemaGrammar.compile(try read(schema, "schema"), options: JSONSchemaOptions())
                grammar = try CompiledGrammar(g, warnings: warnings)
            } else if let gbnf {
                grammar = try CompiledGrammar(GBNFGrammar.compile(try read(gbnf, "gbnf")))
            } else if let lark {
                grammar = try LarkGrammar.compiled(try read(lark, "lark"))
            } else {
                grammar = try CompiledGrammar(RegexGrammar.compile(regex ?? ""))
            }
        } catch let e as AlignGrammarError {
            throw ValidationError("grammar: \(e)")
        }
        guard !p.eosTokenIds.isEmpty else {
            throw ValidationError("constrained generation needs an EOS token id (generation_config.json or config.json eos_token_id)")
        }
        let vocabulary = try GrammarProcessor.vocabulary(tokenizer: tokenizer, logitDimension: logitDimension, eosTokenIds: p.eosTokenIds)
        return GrammarProcessor(grammar: grammar, vocabulary: vocabulary)
    }
}
