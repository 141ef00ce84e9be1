// GenerateCommand+GrammarAligned: `align generate --grammar-aligned N` with --schema/--gbnf/--regex/--lark —
// grammar-aligned sampling (ASAp, Park et al. 2024, arXiv 2405.21047) instead of plain masked sampling.
// Per prompt it draws N ASAp samples from one prefix trie (each sample refines the trie's estimates of
// expected future grammaticality) and prints the N-th, the one drawn closest to the model's distribution
// conditioned on the grammar. It samples the model at --temperature (1 when decoding is greedy);
// top-k / top-p / min-p / repetition penalty would change the target distribution and are refused.
import AlignDecoding
import ArgumentParser
import AlignModels
import AlignTokenizers

extension GenerateCommand {
    /// The --grammar-aligned checks: a grammar is required and the filtering options do not apply.
    func validateGrammarAligned(grammars: Int) throws {
        guard let n = grammarAligned else { return }
        if n < 1 { throw ValidationError("--grammar-aligned needs N ≥ 1 samples") }
        if grammars == 0 { throw ValidationError("--grammar-aligned is used with --schema, --gbnf, --regex or --lark") }
        if topK != nil || topP != nil || minP != nil || repetitionPenalty != nil {
            throw ValidationError("--grammar-aligned samples the model's own (tempered) distribution; "
                + "--top-k, --top-p, --min-p and --repetition-penalty do not apply")
        }
    }

    /// N ASAp samples for one prompt; returns the last (written whole when streaming).
    func grammarAlignedResult(_ request: GenerationRequest, n: Int, lm: DecoderModel, tokenizer: Tokenizer,
                              parameters p: GenerateParameters, grammar: GrammarProcessor,
                              write: (String) -> Void) throws -> GenerationResult {
        let temperature = p.doSample ? Double(p.temperature) : 1
        let source = try CausalLMNextTokenSource(model: lm, prompt: request.ids, temperature: temperature)
        var sampler = try GrammarAlignedSampler(source: source, grammar: grammar.grammar, vocabulary: grammar.vocabulary,
                                                configuration: .init(maxTokens: p.maxNewTokens, seed: p.seed))
        var last: GrammarAlignedSample?
        for _ in 0 ..< n { last = try sampler.sample() }
        guard let s = last else { throw ValidationError("--grammar-aligned drew no sample") }
        let text = String(decoding: s.tokens.flatMap { tokenizer.bytes(of: $0) }, as: UTF8.self)
        if !json && !noStream { write(text) }
        return GenerationResult(prompt: request.text, completion: text, tokenIDs: s.tokens + [s.endToken], finishReason: .stop)
    }
}
