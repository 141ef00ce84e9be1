// `align eval constraints`: constraint satisfaction (CSR) of responses against a declarative verifier spec.
import AlignEval
import ArgumentParser
import Foundation

/// `align eval constraints --spec spec.json --responses responses.jsonl [--json]`.
public struct EvalConstraintsCommand: ParsableCommand {
    /// Command name, help and discussion.
    public static let configuration = CommandConfiguration(
        commandName: "constraints",
        abstract: "Verify responses against a constraint spec; print the constraint satisfaction rate (CSR).",
        discussion: "Spec and constraint types: Docs/ifeval.md, \"Constraint verifiers\". Responses: JSONL {\"id\", \"response\"}.")

    @Option(name: .long, help: "Constraint spec (JSON).")
    var spec: String

    @Option(name: .long, help: "JSONL file of {\"id\", \"response\"}.")
    var responses: String

    @Flag(name: .long, help: "Print one JSON line per response with its CSR, then a summary line.")
    var json = false

    /// Creates the command (argument-parser fills the options).
    public init() {}

    /// A JSON string literal for `s`.
    private func quote(_ s: String) -> String {
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)  // encoding a String cannot fail
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses the spec, verifies the responses and prints CSR.
    public func run() throws {
        let tools = try IFEvalTools()
        let parsed = try ConstraintSpec(url: URL(fileURLWithPath: spec), tools: tools)
        let report = try ConstraintEvaluator.evaluate(
            parsed, responses: try ConstraintSpec.readResponses(URL(fileURLWithPath: responses)))
        if json {
            for r in report.results {
                let failed = r.verdicts.filter { !$0.satisfied }.map { quote($0.type) }.joined(separator: ", ")
                print("{\"id\": \(quote(r.id)), \"csr\": \(r.csr), \"failed\": [\(failed)]}")
            }
            print("{\"mean_csr\": \(report.meanCSR), \"fully_satisfied\": \(report.fullySatisfied.accuracy), "
                + "\"responses\": \(report.results.count)}")
            return
        }
        print(String(format: "%d responses: mean CSR %.4f, all constraints met %d (%.4f)", report.results.count,
                     report.meanCSR, report.fullySatisfied.followed, report.fullySatisfied.accuracy))
        if !report.promptsWithoutResponses.isEmpty {
            print("prompts without responses: \(report.promptsWithoutResponses.joined(separator: ", "))")
        }
        print("")
        print("constraint".padding(toLength: 22, withPad: " ", startingAt: 0) + " satisfied / checked")
        for (type, c) in report.byType.sorted(by: { $0.key < $1.key }) {
            print(type.padding(toLength: 22, withPad: " ", startingAt: 0)
                + String(format: " %6d / %-6d %.4f", c.followed, c.total, c.accuracy))
        }
    }
}
