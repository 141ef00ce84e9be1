// JSON-Schema-Test-Suite (draft 2020-12) walk, JSONSchemaBench App. D protocol: for every group whose
// schema compiles, each valid instance must be accepted byte by byte and token by token (32k tokenizer)
// to an accepting end, each invalid one must be blocked. Prints the per-file table that
// BENCHMARKS.md ("Grammar") records; fails on any under-constrained case (invalid accepted).
import Foundation
import Testing
import AlignGrammar
import AlignTestSupport

struct SuiteRow {
    var file = "", groups = 0, compiled = 0, validOK = 0, over = 0, invalidOK = 0, under = 0
    var underCases: [String] = []
    var overCases: [String] = []
}

enum SuiteRunner {
    static let options = JSONSchemaOptions(whitespace: .compact, propertyOrder: .any)

    static func walk(_ g: CompiledGrammar, _ text: String, tokens: [Int]?, vocab: TokenVocabulary) -> Bool {
        let m = GrammarMatcher(grammar: g, vocabulary: vocab)
        if let tokens {
            for t in tokens where !m.acceptToken(t) { return false }
        } else if !m.acceptBytes(Array(text.utf8)) { return false }
        return m.isAccepting
    }

    static func run(file: URL, tok: (vocab: TokenVocabulary, byBytes: [[UInt8]: Int])?) throws -> SuiteRow {
        var row = SuiteRow(file: file.lastPathComponent)
        guard case .array(let groups) = try JSONParser.parse(Array(Data(contentsOf: file))) else { return row }
        let bytesVocab = try TestVocab.bytes()
        for group in groups {
            row.groups += 1
            guard let schema = group["schema"], case .array(let tests)? = group["tests"] else { continue }
            guard let g = try? CompiledGrammar(JSONSchemaGrammar.compile(schema, options: options).grammar) else { continue }
            row.compiled += 1
            for t in tests {
                guard let data = t["data"], case .bool(let valid)? = t["valid"] else { continue }
                let text = data.serialized
                var ok = walk(g, text, tokens: nil, vocab: bytesVocab)
                if let tok {
                    let ids = TestVocab.tokenize(Array(text.utf8), tok.byBytes)
                    ok = ok && walk(g, text, tokens: ids, vocab: tok.vocab) == ok
                }
                if valid { if ok { row.validOK += 1 } else { row.over += 1; row.overCases.append("\(group["description"]?.serialized ?? "") / \(t["description"]?.serialized ?? ""): \(text)") } } else {
                    if ok { row.under += 1; row.underCases.append("\(group["description"]?.serialized ?? "") / \(t["description"]?.serialized ?? ""): \(text)") }
                    else { row.invalidOK += 1 }
                }
            }
        }
        return row
    }

    static func files(_ sub: String) -> [URL] {
        let dir = FixturePaths.shared("json-schema-test-suite/tests/draft2020-12" + sub)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { dir.appendingPathComponent($0) }
    }
}

@Suite("JSON-Schema-Test-Suite draft 2020-12")
struct JSONSchemaSuiteTests {
    @Test("no invalid instance is accepted; table of compiled / over / under per file")
    func suite() throws {
        let files = SuiteRunner.files("") + SuiteRunner.files("/optional/format")
        try #require(!files.isEmpty, "shared/data/json-schema-test-suite missing")
        var total = SuiteRow(file: "total")
        print("| file | groups | compiled | valid accepted | over-constrained | invalid blocked | under-constrained |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for f in files {
            let t0 = Date()
            let r = try SuiteRunner.run(file: f, tok: TestVocab.tok32k)
            let dt = Date().timeIntervalSince(t0)
            if dt > 0.5 { print("SLOW \(f.lastPathComponent) \(dt)s") }
            print("| \(f.path.contains("optional/format") ? "format/" : "")\(r.file) | \(r.groups) | \(r.compiled) | \(r.validOK) | \(r.over) | \(r.invalidOK) | \(r.under) |")
            for u in r.underCases { print("UNDER \(r.file): \(u)") }
            for u in r.overCases { print("OVER \(r.file): \(u)") }
            total.groups += r.groups; total.compiled += r.compiled; total.validOK += r.validOK
            total.over += r.over; total.invalidOK += r.invalidOK; total.under += r.under
        }
        print("| **total** | \(total.groups) | \(total.compiled) | \(total.validOK) | \(total.over) | \(total.invalidOK) | \(total.under) |")
        #expect(total.under == 0)
        #expect(total.compiled > 200)
    }
}
