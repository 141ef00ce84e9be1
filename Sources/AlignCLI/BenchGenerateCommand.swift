// `align bench generate`: generation throughput of the tiny Llama (../shared/data/models/tiny-llama) and,
// with `--models tiny 135m`, of a random SmolLM-135M-shaped Llama (the one `align bench model` builds) —
// prefill tokens/s and decode tokens/s at batch 1 and 8 — beside transformers' `model.generate`
// (scripts/peers/bench_generate.py, torch threads = our threads) in the same run.
//
// Both sides time the same two calls on B random prompts of P tokens (greedy, KV cache):
//   prefill = generation of 1 new token (one forward over B·P tokens), full = N new tokens (min = max = N),
// so prefill tokens/s = B·P / prefill and decode tokens/s = B·(N − 1) / (full − prefill).
// Decode at batch 1 is also reported against the memory-bandwidth bound: every step reads all the
// weights once, so tokens/s ≤ read bandwidth / weight bytes (Bench/ReadBandwidth.swift: the best sweep of
// a 512 MB read-only probe, and of the same sum over the model's own weights, taken before and after each
// model's decode runs; the higher reading, so the stricter bound). `--cases profile` times a
// batch-1 step in alternation with the probe and splits it into weight products, attention and the rest
// (Bench/DecodeProfile.swift), reporting step time ÷ (weight bytes / read bandwidth).
// Also decoding-time alignment throughput (Bench/SearchBench.swift): best-of-8 (completions/s and
// tokens/s, beside transformers' generate(num_return_sequences=8, do_sample=True)) and DeAL (tokens/s, no peer).
import AlignDecoding
import AlignModels
import AlignTensor
import ArgumentParser
import Foundation

struct BenchGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Prefill and decode tokens/s of the tiny Llama beside transformers' generate.")

    @OptionGroup var options: BenchOptions
    @Option(help: "The tiny Llama folder.")
    var tinyLlama = "../shared/data/models/tiny-llama"
    @Option(help: "Python with torch and transformers for the peer (empty: no peer).")
    var python = "python3"
    @Option(help: "The peer script.")
    var peerScript = "scripts/peers/bench_generate.py"
    @Option(help: "Prompt length P.")
    var promptLength = 128
    @Option(help: "New tokens N per row.")
    var newTokens = 64
    @Option(parsing: .upToNextOption, help: "Batch sizes.")
    var batches: [Int] = [1, 8]
    @Option(help: "Timed runs per case (after one warm-up); the median is reported.")
    var runs = 3
    @Option(parsing: .upToNextOption, help: "Models: tiny (the tiny Llama folder), 135m (random SmolLM-135M shape).")
    var models: [String] = ["tiny"]
    @Option(parsing: .upToNextOption, help: "Cases: decode (prefill and decode), profile (a batch-1 step against the bandwidth bound, by parts), best-of, deal.")
    var cases: [String] = ["decode", "profile", "best-of", "deal"]
    @Option(help: "Completions per prompt in the best-of case.")
    var bestOf = 8
    @Option(help: "Prompt length of the best-of and DeAL cases.")
    var searchPromptLength = 32
    @Option(help: "New tokens per completion in the best-of and DeAL cases (DeAL: top-k 5, beam 2, lookahead 8, λ 1).")
    var searchNewTokens = 16

    func validate() throws {
        guard promptLength > 0, newTokens > 1, runs > 0, !batches.isEmpty, batches.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--prompt-length, --runs and --batches must be ≥ 1 and --new-tokens ≥ 2")
        }
        if let bad = models.first(where: { $0 != "tiny" && $0 != "135m" }) {
            throw ValidationError("--models: unknown model '\(bad)' (tiny, 135m)")
        }
        if let bad = cases.first(where: { !["decode", "profile", "best-of", "deal"].contains($0) }) {
            throw ValidationError("--cases: unknown case '\(bad)' (decode, profile, best-of, deal)")
        }
        guard bestOf > 0, searchPromptLength > 0, searchNewTokens > 0 else {
            throw ValidationError("--best-of, --search-prompt-length and --search-new-tokens must be ≥ 1")
        }
    }

    func run() throws {
        let env = options.prepare()
        let probe = ReadBandwidth()
        var bufferBandwidth = probe.measure(sweeps: 5)  // GB/s, the best sweep of the 512 MB buffer so far
        var records: [BenchRecord] = []
        var notes: [String] = []
        var profiles: [String] = []
        for name in models {
            let model = name == "tiny" ? try DecoderModel.load(directory: URL(fileURLWithPath: tinyLlama))
                : ModelBench.randomModel(ModelBench.smolLM135M)
            let weightBytes = Double(model.namedParameters().reduce(0) { $0 + $1.1.count } * 4)
            var bandwidth = bufferBandwidth  // this model's: also its weights' own sweep (which the caches may help)
            if cases.contains("decode") {
                for b in batches {
                    var rows = try measure(name, model, batch: b, limit: nil)
                    bufferBandwidth = max(bufferBandwidth, probe.measure(sweeps: 3))
                    bandwidth = max(bandwidth, bufferBandwidth, ReadBandwidth.measure(regions: model.weightRegions))
                    if b == 1 { rows[1] = rows[1].withLimit(bandwidth * 1e9 / weightBytes) }
                    records += rows
                }
            }
            notes.append("\(label(name)) weights \(String(format: "%.1f", weightBytes / 1e6)) MB, decode limit at "
                         + "\(String(format: "%.1f", bandwidth)) GB/s")
            if cases.contains("profile") {
                let p = try DecodeProfile.measure(model, promptLength: promptLength, steps: newTokens - 1,
                                                  rounds: max(3, runs), probe: probe)
                records += p.records(label(name), promptLength: promptLength)
                profiles.append("\(label(name)) step ÷ bound per round: "
                                + p.roundRatios.map { String(format: "%.2f", $0) }.joined(separator: " "))
            }
            records += try measureSearch(name, model)
        }
        if options.json {
            records.forEach { print($0.jsonLine()) }
        } else {
            print("align bench generate — \(env); read bandwidth \(String(format: "%.1f", bufferBandwidth)) GB/s "
                + "(best sweep of 512 MB); " + notes.joined(separator: "; ")
                + "; decode limit = read bandwidth (best of the buffer and the weights' own sweep) / weight bytes")
            print(benchTable(records))
            profiles.forEach { print($0) }
        }
    }

    func label(_ name: String) -> String { name == "tiny" ? "tiny-llama" : "llama-135M random" }

    /// Prefill and decode records of one model at one batch size, ours beside the peer's.
    func measure(_ name: String, _ model: DecoderModel, batch b: Int, limit: Double?) throws -> [BenchRecord] {
        let ours = try GenerateBench.measure(model, batch: b, promptLength: promptLength, newTokens: newTokens, runs: runs)
        let peer = GenerateBench.peer(python: python, script: peerScript, model: name, tinyDir: tinyLlama,
                                      threads: Parallel.threads, batch: b, promptLength: promptLength,
                                      newTokens: newTokens, runs: runs)
        let prefillTokens = Double(b * promptLength), decodeTokens = Double(b * (newTokens - 1))
        let peerName = peer.map { "transformers \($0.version)" }
        return [
            BenchRecord(bench: "generate", case: "\(label(name)) prefill B=\(b) P=\(promptLength)", unit: "tokens/s",
                        alignkit: prefillTokens / ours.prefill, peer: peerName,
                        peerValue: peer.map { prefillTokens / $0.prefill }),
            BenchRecord(bench: "generate", case: "\(label(name)) decode B=\(b) N=\(newTokens)", unit: "tokens/s",
                        alignkit: decodeTokens / (ours.full - ours.prefill), peer: peerName,
                        peerValue: peer.map { decodeTokens / ($0.full - $0.prefill) }, limit: limit),
        ]
    }
}

/// Timing and the transformers peer for `align bench generate`.
enum GenerateBench {
    /// Median seconds of generating 1 and `newTokens` tokens greedily for `batch` random prompts.
    static func measure(_ model: DecoderModel, batch: Int, promptLength: Int, newTokens: Int,
                        runs: Int) throws -> (prefill: Double, full: Double) {
        var g = RandomGenerator(seed: 1)
        let v = model.spec.vocabSize
        let prompts = (0 ..< batch).map { _ in
            (0 ..< promptLength).map { _ in Int32(3 + Int(g.nextUniform() * Float(v - 3)) % (v - 3)) }
        }
        var failure: Error?
        func generate(_ n: Int) {
            var p = GenerateParameters()
            p.maxNewTokens = n
            p.minNewTokens = n
            p.eosTokenIds = [2]
            p.padTokenId = 0
            do { _ = try TokenGenerator(model: model, prompts: prompts, parameters: p).run() } catch { failure = error }
        }
        let prefill = Stopwatch.median(minRuns: runs, minSeconds: 0) { generate(1) }
        let full = Stopwatch.median(minRuns: runs, minSeconds: 0) { generate(newTokens) }
        if let failure { throw failure }
        return (prefill, full)
    }

    /// Runs the transformers peer; nil (with a note on stderr) when it cannot run.
    static func peer(python: String, script: String, model: String, tinyDir: String, threads: Int, batch: Int,
                     promptLength: Int, newTokens: Int, runs: Int) -> (prefill: Double, full: Double, version: String)? {
        let args = ["--model", model, "--tiny-dir", tinyDir, "--threads", "\(threads)", "--batch", "\(batch)",
                    "--prompt-len", "\(promptLength)", "--new-tokens", "\(newTokens)", "--runs", "\(runs)"]
        guard let obj = PythonPeer.run(python: python, script: script, arguments: args, threads: threads),
              let prefill = obj["prefill_s"] as? Double, let full = obj["full_s"] as? Double else { return nil }
        return (prefill, full, obj["transformers"] as? String ?? "?")
    }
}
