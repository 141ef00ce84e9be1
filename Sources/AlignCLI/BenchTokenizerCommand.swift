// `align bench tokenizer`: encode throughput (MB/s of UTF-8 input) of AlignTokenizers on a text file, encoding
// its lines as a batch on --threads threads; with --peer PYTHON, runs scripts/peers/bench_tokenizer.py (Rust
// tokenizers via Python) on the same file and thread count in the same run and reports the ratio.
import ArgumentParser
import Foundation
import AlignTokenizers

/// `align bench tokenizer --tokenizer F --text F [--threads N] [--peer PYTHON] [--json]`.
public struct BenchTokenizerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tokenizer", abstract: "Tokenizer encode throughput (MB/s), beside huggingface/tokenizers.")

    @Option(help: "tokenizer.json to benchmark.") var tokenizer: String
    @Option(help: "UTF-8 text file; its lines are encoded as one batch.") var text: String
    @Option(help: "Threads for batch encoding (the peer gets the same).") var threads: Int = 2
    @Option(help: "Timed repetitions; the best is reported.") var repetitions: Int = 3
    @Option(help: "Python with tokenizers installed: run the peer in the same run.") var peer: String?
    @Option(help: "Path of the peer script.") var peerScript: String = "scripts/peers/bench_tokenizer.py"
    @Flag(help: "One JSON object per line (the bench schema of DESIGN.md).") var json = false

    public init() {}

    public func validate() throws {
        if threads < 1 || repetitions < 1 { throw ValidationError("--threads and --repetitions must be at least 1") }
    }

    public func run() throws {
        let tok = try Tokenizer(contentsOf: URL(fileURLWithPath: tokenizer))
        guard let data = FileManager.default.contents(atPath: text) else { throw ValidationError("cannot read --text \(text)") }
        let content = String(decoding: data, as: UTF8.self)
        let lines = Self.splitLines(content)
        _ = tok.encodeBatch(Array(lines.prefix(2000)), threads: threads)  // warm up
        var best = Double.infinity, tokens = 0
        for _ in 0..<repetitions {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let encs = tok.encodeBatch(lines, threads: threads)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            tokens = encs.reduce(0) { $0 + $1.ids.count }
        }
        let mbps = Double(data.count) / best / 1e6
        let peerResult = try peer.map { try runPeer(python: $0) }
        report(mbps: mbps, bytes: data.count, tokens: tokens, seconds: best, peer: peerResult)
    }

    /// Lines with their terminators, like Python's `str.splitlines(keepends=True)` for \n and \r\n.
    static func splitLines(_ s: String) -> [String] {
        var out = [String]()
        var start = s.unicodeScalars.startIndex
        for i in s.unicodeScalars.indices where s.unicodeScalars[i] == "\n" {
            let next = s.unicodeScalars.index(after: i)
            out.append(String(s.unicodeScalars[start..<next])); start = next
        }
        if start < s.unicodeScalars.endIndex { out.append(String(s.unicodeScalars[start...])) }
        return out
    }

    struct PeerResult: Decodable { let peer: String; let mb_per_s: Double; let tokens: Int }

    func runPeer(python: String) throws -> PeerResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [peerScript, "run", "--tokenizer", tokenizer, "--text", text, "--threads", "\(threads)", "--repeat", "\(repetitions)"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let line = String(decoding: out, as: UTF8.self).split(separator: "\n").last else {
            throw ValidationError("peer script failed (exit \(p.terminationStatus))")
        }
        return try JSONDecoder().decode(PeerResult.self, from: Data(line.utf8))
    }

    func report(mbps: Double, bytes: Int, tokens: Int, seconds: Double, peer: PeerResult?) {
        let name = URL(fileURLWithPath: tokenizer).lastPathComponent
        let caseName = "encode_batch \(name) threads=\(threads)"
        if json {
            // DESIGN.md's benchmark line, via the one shared encoder.
            print(BenchRecord(bench: "tokenizer", case: caseName, unit: "MB/s", alignkit: mbps, peer: peer?.peer,
                              peerValue: peer?.mb_per_s).jsonLine())
            return
        }
        print("tokenizer bench: \(caseName), \(bytes) bytes, \(tokens) tokens, best of \(repetitions)")
        print(String(format: "  AlignKit   %8.2f MB/s  (%.3f s)", mbps, seconds))
        if let peer {
            print("  \(peer.peer) " + String(format: "%8.2f MB/s   ratio %.2f", peer.mb_per_s, mbps / peer.mb_per_s))
            if peer.tokens != tokens { print("  warning: token counts differ (peer \(peer.tokens))") }
        }
    }
}
