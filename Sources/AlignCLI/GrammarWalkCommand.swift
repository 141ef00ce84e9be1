// `align grammar walk`: tokenizes an instance and feeds it token by token, printing the allowed-token
// count before each step and the first blocked token. Exit status: 0 accepted to the end, 3 blocked,
// 2 the grammar does not compile.
import AlignGrammar
import ArgumentParser
import Foundation

struct GrammarWalkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "walk", abstract: "Walk an instance through a grammar's token masks.")
    @OptionGroup var source: GrammarSourceOptions
    @Option(help: "The instance file (its exact bytes are walked).") var instance: String
    @Option(help: "tokenizer.json or its folder.") var tokenizer: String
    @Flag(help: "Print one JSON object instead of the table.") var json = false

    func run() throws {
        let v = try GrammarVocabulary(path: tokenizer)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: instance)))
        guard let ids = v.tokenize(bytes) else { throw ValidationError("\(instance): a byte has no token in the vocabulary") }
        let t0 = DispatchTime.now()
        let g: CompiledGrammar
        do { g = try source.compile() } catch let e as AlignGrammarError {
            if json { print(#"{"accepted": false, "error": \#(JSONValue.string("\(e)").serialized)}"#) } else { print("error: \(e)") }
            throw ExitCode(2)
        }
        let compileMs = milliseconds(since: t0)
        let m = GrammarMatcher(grammar: g, vocabulary: v.vocab)
        var maskMicros: [Double] = []
        var offset = 0
        var blockedAt: Int?
        for (step, id) in ids.enumerated() {
            let t = DispatchTime.now()
            let mask = m.computeMask()
            maskMicros.append(milliseconds(since: t) * 1000)
            let allowed = mask.reduce(0) { $0 + $1.nonzeroBitCount }
            let text = String(decoding: v.vocab.tokens[id], as: UTF8.self).debugDescription
            if !json { print("step \(step): \(allowed) allowed, token \(id) \(text)") }
            if !m.acceptToken(id) { blockedAt = offset; if !json { print("blocked at byte \(offset): token \(id) \(text)") }; break }
            offset += v.vocab.tokens[id].count
        }
        let accepted = blockedAt == nil && m.isAccepting
        if blockedAt == nil && !accepted && !json { print("instance ended before the grammar was complete") }
        if json {
            let mask = maskMicros.map { String(format: "%.1f", $0) }.joined(separator: ", ")
            print(#"{"accepted": \#(accepted), "blocked_at_byte": \#(blockedAt.map(String.init) ?? (accepted ? "null" : String(offset))), "steps": \#(maskMicros.count), "compile_ms": \#(String(format: "%.3f", compileMs)), "mask_us": [\#(mask)]}"#)
        } else {
            print(String(format: "compile %.2f ms; ", compileMs) + (accepted ? "accepted" : "blocked"))
        }
        if !accepted { throw ExitCode(3) }
    }
}
