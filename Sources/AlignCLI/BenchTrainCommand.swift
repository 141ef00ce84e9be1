// `align bench train`: DPO training throughput and peak memory of AlignKit beside TRL's DPOTrainer (its defaults,
// with and without precompute_ref_log_probs) and a plain PyTorch DPO step with no trainer
// (scripts/peers/bench_train.py), on the same shapes in one run — issue 5's training benchmark:
//   tiny Llama (../shared/data/models/tiny-llama): batch 8 pairs, prompt 64 + completions 64;
//   random SmolLM-135M-shaped Llama: batch 8 pairs, prompt 128 + completions 128;
// full fine-tuning and LoRA r 16 on every linear layer. Every configuration runs in its own process
// (TrainBench), so each peak RSS is that configuration's alone.
// Tokens per step = B · 2 · (P + C) (chosen and rejected sequences, no padding on any side).
import AlignEval
import AlignTensor
import ArgumentParser
import Foundation

struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "DPO steps/s, tokens/s and peak RSS beside TRL's DPOTrainer and a plain PyTorch step.")

    @OptionGroup var options: BenchOptions
    @Option(help: "The tiny Llama folder.")
    var tinyLlama = "../shared/data/models/tiny-llama"
    @Option(help: "Python with torch, transformers, trl and peft for the peers (empty: no peers).")
    var python = "python3"
    @Option(help: "The peer script.")
    var peerScript = "scripts/peers/bench_train.py"
    @Option(parsing: .upToNextOption, help: "Models: tiny, 135m.")
    var models: [String] = ["tiny"]
    @Option(parsing: .upToNextOption, help: "Modes: full, lora.")
    var modes: [String] = ["full", "lora"]
    @Option(parsing: .upToNextOption, help: "Peers: trl, trl-precompute, torch.")
    var peers: [String] = ["trl", "trl-precompute", "torch"]
    @Option(help: "Timed optimizer steps per case (the median is reported).")
    var steps = 5
    @Option(help: "Untimed warm-up steps per case.")
    var warmup = 2
    @Option(help: "Pairs per step.")
    var batch = 8
    @Option(help: "Rounds: AlignKit then every peer, this many times over; each figure is the median over the rounds.")
    var rounds = 1

    func validate() throws {
        guard steps > 0, warmup >= 0, batch > 0, rounds > 0 else {
            throw ValidationError("--steps, --batch and --rounds must be ≥ 1, --warmup ≥ 0")
        }
        if let bad = models.first(where: { !["tiny", "135m"].contains($0) }) { throw ValidationError("--models: unknown '\(bad)'") }
        if let bad = modes.first(where: { !["full", "lora"].contains($0) }) { throw ValidationError("--modes: unknown '\(bad)'") }
        if let bad = peers.first(where: { !["trl", "trl-precompute", "torch"].contains($0) }) {
            throw ValidationError("--peers: unknown '\(bad)'")
        }
    }

    /// (prompt, completion) lengths of the issue's shapes.
    func lengths(_ model: String) -> (Int, Int) { model == "tiny" ? (64, 64) : (128, 128) }

    func run() throws {
        let env = options.prepare()
        var records: [BenchRecord] = []
        var notes: [String] = []
        for model in models {
            for mode in modes {
                let (p, c) = lengths(model)
                let label = "\(model == "tiny" ? "tiny-llama" : "llama-135M random") \(mode) B=\(batch) P=\(p) C=\(c)"
                let (ours, peerResults, caseNotes) = try measure(model: model, lora: mode == "lora", p: p, c: c, label: label)
                notes += caseNotes
                let tokens = Double(batch * 2 * (p + c))
                records.append(contentsOf: caseRecords(label, ours: ours, peer: nil, tokens: tokens))
                for impl in peers {
                    guard let peer = peerResults[impl] else { continue }
                    records.append(contentsOf: caseRecords(label, ours: ours, peer: peer, tokens: tokens))
                }
            }
        }
        if options.json {
            records.forEach { print($0.jsonLine()) }
        } else {
            print("align bench train — \(env); DPO sigmoid, AdamW lr 1e-6, fp32; tokens/step = B·2·(P+C); "
                + "peak RSS ratio < 1 = AlignKit uses less" + (rounds > 1 ? "; median step over \(rounds) rounds" : ""))
            print(benchTable(records))
            notes.forEach { print($0) }
        }
    }

    /// Runs AlignKit and then each peer, `rounds` times over (so a slow spell of the host falls on every
    /// implementation alike, not on whichever ran during it). Returns AlignKit's and each peer's median step time
    /// and largest peak RSS over the rounds, and one note per run.
    func measure(model: String, lora: Bool, p: Int, c: Int, label: String)
        throws -> (TrainCaseResult, [String: (name: String, result: TrainCaseResult)], [String]) {
        let common = ["--model", model, "--tiny-dir", tinyLlama, "--batch", "\(batch)", "--prompt-len", "\(p)",
                      "--completion-len", "\(c)", "--steps", "\(steps)", "--warmup", "\(warmup)"] + (lora ? ["--lora"] : [])
        var ours: [TrainCaseResult] = [], peerRuns: [String: [TrainCaseResult]] = [:], names: [String: String] = [:]
        var notes: [String] = []
        func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
        for round in 1 ... rounds {
            let r = try TrainBench.runChild(arguments: childArguments(model: model, lora: lora, p: p, c: c))
            ours.append(r)
            notes.append("\(label) round \(round): AlignKit: step \(fmt(r.stepS)) s, reference precompute \(fmt(r.precomputeS)) s")
            for impl in peers {
                guard let peer = PythonPeer.run(python: python, script: peerScript,
                                                arguments: ["--impl", impl, "--threads", "\(Parallel.threads)"] + common,
                                                threads: Parallel.threads),
                      let s = peer["step_s"] as? Double, let rss = peer["peak_rss_mb"] as? Double else { continue }
                let pre = peer["precompute_s"] as? Double ?? 0
                peerRuns[impl, default: []].append(TrainCaseResult(stepS: s, precomputeS: pre, peakRSSMB: rss))
                names[impl] = "\(peerName(impl)) (trl \(peer["trl"] as? String ?? "?"), torch \(peer["torch"] as? String ?? "?"))"
                notes.append("\(label) round \(round): \(peerName(impl)): step \(fmt(s)) s"
                    + (pre > 0 ? ", reference precompute \(fmt(pre)) s" : ""))
            }
        }
        let peerResults = peerRuns.reduce(into: [String: (name: String, result: TrainCaseResult)]()) { out, entry in
            out[entry.key] = (names[entry.key] ?? entry.key, Self.combined(entry.value))
        }
        return (Self.combined(ours), peerResults, notes)
    }

    /// One implementation's rounds as one result: median step and precompute times, largest peak RSS.
    static func combined(_ runs: [TrainCaseResult]) -> TrainCaseResult {
        TrainCaseResult(stepS: median(runs.map(\.stepS)), precomputeS: median(runs.map(\.precomputeS)),
                        peakRSSMB: runs.map(\.peakRSSMB).max() ?? 0)
    }

    /// The median (numpy's, the mean of the middle two for an even count); NaN for no values.
    static func median(_ xs: [Double]) -> Double {
        xs.isEmpty ? .nan : Distribution.percentile(xs.sorted(), 50)
    }

    func childArguments(model: String, lora: Bool, p: Int, c: Int) -> [String] {
        ["--model", model, "--tiny-llama", tinyLlama, "--threads", "\(Parallel.threads)", "--batch", "\(batch)",
         "--prompt-length", "\(p)", "--completion-length", "\(c)", "--steps", "\(steps)", "--warmup", "\(warmup)"]
            + (lora ? ["--lora"] : [])
    }

    func peerName(_ impl: String) -> String {
        switch impl {
        case "trl": return "TRL DPOTrainer"
        case "trl-precompute": return "TRL DPOTrainer precompute_ref"
        default: return "PyTorch step"
        }
    }

    /// Tokens/s and peak RSS records (for RSS, ratio = AlignKit ÷ peer: < 1 means AlignKit uses less).
    func caseRecords(_ label: String, ours: TrainCaseResult, peer: (name: String, result: TrainCaseResult)?,
                     tokens: Double) -> [BenchRecord] {
        guard let peer else {
            return [BenchRecord(bench: "train", case: "\(label) steps/s", unit: "steps/s", alignkit: 1 / ours.stepS),
                    BenchRecord(bench: "train", case: "\(label) peak RSS", unit: "MB", alignkit: ours.peakRSSMB)]
        }
        return [
            BenchRecord(bench: "train", case: "\(label) tokens/s", unit: "tokens/s", alignkit: tokens / ours.stepS,
                        peer: peer.name, peerValue: tokens / peer.result.stepS),
            BenchRecord(bench: "train", case: "\(label) peak RSS", unit: "MB", alignkit: ours.peakRSSMB,
                        peer: peer.name, peerValue: peer.result.peakRSSMB),
        ]
    }
}
