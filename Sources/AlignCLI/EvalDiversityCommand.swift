// `align eval diversity`: length statistics (characters, words, tokens), distinct-1..4 and self-BLEU of a set of
// responses.
import AlignEval
import AlignTokenizers
import ArgumentParser
import Foundation

/// `align eval diversity --responses F.jsonl [--tokenizer tokenizer.json] [--smoothing method1|none] [--json]`.
public struct EvalDiversityCommand: ParsableCommand {
    /// Command name, help and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "diversity",
        abstract: "Length statistics, distinct-n and self-BLEU of responses.",
        discussion: """
            --responses is JSONL with a "response" string per line. Words and n-grams use whitespace tokens. \
            distinct-n = unique n-grams / all n-grams pooled over the responses (Li et al. 2016). Self-BLEU = mean \
            BLEU-4 of each response against all the others (Zhu et al. 2018, Texygen), NLTK's sentence_bleu with \
            smoothing method1 (ε = 0.1) by default. It costs O(M²) in the number of responses.
            """)

    @Option(name: .long, help: "Responses JSONL ({\"response\": …} per line).")
    var responses: String

    @Option(name: .long, help: "tokenizer.json for token lengths (or a model folder holding one).")
    var tokenizer: String?

    @Option(name: .long, help: "BLEU smoothing: method1 (NLTK/Texygen, default) or none.")
    var smoothing: String = BLEU.Smoothing.method1.rawValue

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    /// Creates the command (argument-parser fills the options).
    public init() {}

    /// The smoothing name must be known.
    public func validate() throws {
        guard BLEU.Smoothing(rawValue: smoothing) != nil else {
            throw ValidationError("--smoothing must be one of \(BLEU.Smoothing.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// Evaluates and prints.
    public func run() throws { print(try output()) }

    /// The report text (a table, or one JSON line).
    public func output() throws -> String {
        let texts = try MetricInputs.responses(URL(fileURLWithPath: responses))
        let tok = try tokenizer.map(loadTokenizer)
        let lengths = LengthStats(responses: texts, tokenizer: tok)
        let distinct = try DistinctNGrams.compute(texts)
        let method = BLEU.Smoothing(rawValue: smoothing) ?? .method1
        let selfBLEU = texts.count >= 2 ? try BLEU.selfBLEU(texts, smoothing: method) : nil
        let dists = [("characters", lengths.characters), ("words", lengths.words)] + (lengths.tokens.map { [("tokens", $0)] } ?? [])
        if json {
            var o: [String: Any] = ["responses": texts.count, "self_bleu_smoothing": method.rawValue]
            o["self_bleu"] = selfBLEU ?? NSNull()
            for d in distinct { o["distinct_\(d.n)"] = d.value }
            for (name, d) in dists { o["length_\(name)"] = EvalMetricsFormat.json(d) }
            return try EvalMetricsFormat.jsonLine(o)
        }
        var lines = ["\(texts.count) responses", EvalMetricsFormat.header("length", ["mean", "median", "p90", "p95", "min", "max"])]
        lines += dists.map { EvalMetricsFormat.row($0.0, [$0.1.mean, $0.1.median, $0.1.p90, $0.1.p95, $0.1.min, $0.1.max]) }
        lines += ["", EvalMetricsFormat.header("diversity", ["value", "unique", "total"])]
        lines += distinct.map { EvalMetricsFormat.row("distinct-\($0.n)", [$0.value, Double($0.unique), Double($0.total)]) }
        lines.append(selfBLEU.map { EvalMetricsFormat.row("self-BLEU", [$0]) + "  (smoothing \(method.rawValue))" }
            ?? "self-BLEU     n/a (needs at least 2 responses)")
        return lines.joined(separator: "\n")
    }

    /// tokenizer.json at `path`, or inside the folder `path`.
    func loadTokenizer(_ path: String) throws -> Tokenizer {
        var url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            url = url.appendingPathComponent("tokenizer.json")
        }
        do { return try Tokenizer(contentsOf: url) } catch {
            throw AlignEvalError.unreadableFile(path: url.path, reason: "\(error)")
        }
    }
}
