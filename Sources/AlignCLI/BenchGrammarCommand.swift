// `align bench grammar`: MaskBench-style measurement over JSONSchemaBench's maskbench files: time to
// first mask (compile + first mask), time per mask while walking each valid instance token by token,
// and counts of compile errors, valid instances rejected and invalid instances accepted. The peer side
// (llguidance, xgrammar on the same files and tokenizer) is scripts/peers/grammar_maskbench.py.
import AlignGrammar
import ArgumentParser
import Foundation

struct BenchGrammarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grammar", abstract: "Grammar mask timing (TTFM, TBM) and correctness on maskbench files.")
    @Option(help: "Folder of maskbench JSON files ({schema, tests:[{data, valid}]}).") var data: String
    @Option(help: "tokenizer.json (or its folder).") var tokenizer: String
    @Option(help: "Use at most this many files (sorted by name).") var limit: Int?
    @Option(help: "Use every k-th file (sorted by name), for a spread subset.") var every: Int = 1
    @Flag(help: "No whitespace between JSON tokens.") var compact = false
    @Option(help: "Seconds per file (compile + walks) before the file counts as a timeout.") var fileTimeout: Double = 10
    @Flag(help: "One JSON object per line (DESIGN.md benchmark format).") var json = false
    @Flag(help: "Print each file whose schema does not compile, with the error, to stderr.") var showErrors = false
    @Flag(help: "Time TTFM/TBM in process CPU time instead of wall time (steadier on a loaded machine; file timeouts stay wall time).")
    var cpuTime = false
    @Option(help: "Print the files with the most mask time and the slowest single masks (this many of each) to stderr.") var showSlow: Int = 0
    @Option(help: "Write one JSON line per walked file, {file, engine, tbm_us: [...]}, to this path (for scripts/peers/maskbench_common.py).")
    var maskTimes: String?

    struct Tally { var files = 0, compileErrors = 0, timeouts = 0, validOK = 0, validRejected = 0, invalidBlocked = 0, invalidAccepted = 0
        var ttfm: [Double] = [], tbm: [Double] = []
        /// Per walked file: its name and mask times, in walk order; per slow mask: (µs, file, text before the token).
        var perFile: [(String, [Double])] = [], slow: [(Double, String, String)] = [] }

    /// The per-file mask times as JSON lines, written atomically.
    func writeMaskTimes(_ t: Tally, to path: String) throws {
        var out = ""
        for (name, times) in t.perFile {
            let list = times.map { String(format: "%.2f", $0) }.joined(separator: ", ")
            out += #"{"file": \#(JSONValue.string(name).serialized), "engine": "alignkit", "tbm_us": [\#(list)]}"# + "\n"
        }
        try Data(out.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    func run() throws {
        let v = try GrammarVocabulary(path: tokenizer)
        let all = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".json") }.sorted()
        let names = all.enumerated().filter { $0.offset % max(every, 1) == 0 }.map(\.element)
        var t = Tally()
        let options = JSONSchemaOptions(whitespace: compact ? .compact : .flexible(maxRun: 16), propertyOrder: .any)
        for name in names.prefix(limit ?? names.count) {
            let file = try JSONParser.parse(Array(Data(contentsOf: URL(fileURLWithPath: data).appendingPathComponent(name))))
            guard let schema = file["schema"], case .array(let tests)? = file["tests"] else { continue }
            t.files += 1
            let t0 = DispatchTime.now(), c0 = micros()
            let g: CompiledGrammar
            do { g = try CompiledGrammar(JSONSchemaGrammar.compile(schema, options: options).grammar) } catch {
                t.compileErrors += 1
                if showErrors { FileHandle.standardError.write(Data("compile error \(name): \(error)\n".utf8)) }
                continue
            }
            _ = GrammarMatcher(grammar: g, vocabulary: v.vocab).computeMask()
            t.ttfm.append(micros() - c0)
            let before = t.tbm.count
            for test in tests {
                if milliseconds(since: t0) > fileTimeout * 1000 { t.timeouts += 1; break }
                guard let inst = test["data"], case .bool(let valid)? = test["valid"],
                      let ids = v.tokenize(Array(inst.serialized.utf8)) else { continue }
                let start = t.tbm.count
                let ok = walk(g, ids, v.vocab, timed: valid, into: &t.tbm)
                if showSlow > 0 { noteSlow(&t, from: start, name, ids, v.vocab) }
                if valid { if ok { t.validOK += 1 } else { t.validRejected += 1 } } else { if ok { t.invalidAccepted += 1 } else { t.invalidBlocked += 1 } }
            }
            if t.tbm.count > before { t.perFile.append((name, Array(t.tbm[before...]))) }
        }
        if let path = maskTimes { try writeMaskTimes(t, to: path) }
        report(t)
        if showSlow > 0 { reportSlow(t) }
    }

    /// Keeps the `showSlow` slowest masks of the walk whose times start at `from`.
    func noteSlow(_ t: inout Tally, from: Int, _ name: String, _ ids: [Int], _ vocab: TokenVocabulary) {
        for (k, us) in t.tbm[from...].enumerated() where t.slow.count < showSlow || us > t.slow[t.slow.count - 1].0 {
            let text = ids.prefix(k).flatMap { vocab.tokens[$0] }.suffix(60)
            t.slow.append((us, name, String(decoding: text, as: UTF8.self)))
            t.slow.sort { $0.0 > $1.0 }
            if t.slow.count > showSlow { t.slow.removeLast() }
        }
    }

    func reportSlow(_ t: Tally) {
        var out = "files by total mask time (ms):\n"
        let fileTime = t.perFile.map { name, times in (times.reduce(0, +), name) }
        for (us, name) in fileTime.sorted(by: { $0.0 > $1.0 }).prefix(showSlow) { out += String(format: "%10.1f  ", us / 1000) + name + "\n" }
        out += "slowest masks (µs, file, text before the token):\n"
        for (us, name, text) in t.slow { out += String(format: "%10.1f  ", us) + name + "  …" + text.debugDescription + "\n" }
        FileHandle.standardError.write(Data(out.utf8))
    }

    /// Walks `ids`; when `timed`, computes and times the mask before every token.
    func walk(_ g: CompiledGrammar, _ ids: [Int], _ vocab: TokenVocabulary, timed: Bool, into tbm: inout [Double]) -> Bool {
        let m = GrammarMatcher(grammar: g, vocabulary: vocab)
        var mask = [UInt32](repeating: 0, count: vocab.maskWords)
        for id in ids {
            if timed {
                let t = micros()
                mask.withUnsafeMutableBufferPointer { m.fillMask(into: $0) }
                tbm.append(micros() - t)
            }
            if !m.acceptToken(id) { return false }
        }
        return m.isAccepting
    }

    /// Microseconds on the chosen clock (monotonic wall time, or CLOCK_PROCESS_CPUTIME_ID).
    func micros() -> Double {
        if !cpuTime { return Double(DispatchTime.now().uptimeNanoseconds) / 1e3 }
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1e6 + Double(ts.tv_nsec) / 1e3
    }

    static func percentile(_ xs: [Double], _ p: Double) -> Double {
        if xs.isEmpty { return .nan }
        let s = xs.sorted()
        return s[min(s.count - 1, Int(Double(s.count - 1) * p))]
    }

    func report(_ t: Tally) {
        let p = Self.percentile
        let rows: [(String, String, Double)] = [
            ("tbm_mean", "us", t.tbm.reduce(0, +) / Double(max(t.tbm.count, 1))), ("tbm_p50", "us", p(t.tbm, 0.5)), ("tbm_p99", "us", p(t.tbm, 0.99)),
            ("ttfm_p50", "us", p(t.ttfm, 0.5)), ("ttfm_p90", "us", p(t.ttfm, 0.9)), ("ttfm_p99", "us", p(t.ttfm, 0.99)),
            ("files", "count", Double(t.files)), ("compile_errors", "count", Double(t.compileErrors)), ("timeouts", "count", Double(t.timeouts)),
            ("valid_accepted", "count", Double(t.validOK)), ("valid_rejected", "count", Double(t.validRejected)),
            ("invalid_blocked", "count", Double(t.invalidBlocked)), ("invalid_accepted", "count", Double(t.invalidAccepted)),
            ("masks", "count", Double(t.tbm.count)),
        ]
        for (name, unit, value) in rows {
            if json { print(#"{"bench": "grammar_maskbench", "case": "\#(name)", "unit": "\#(unit)", "alignkit": \#(value.isNaN ? "null" : String(format: "%.1f", value))}"#) }
            else { print(name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%12.1f ", value) + unit) }
        }
    }
}
