// `align bench model`: end-to-end decoder throughput — forward and forward+backward tokens/s of the
// tiny Llama (../shared/data/models/tiny-llama) and of a random SmolLM-135M-shaped Llama (V 49152,
// C 576, 30 layers, 9/3 heads, MLP 1536, tied) on a B × T batch, beside PyTorch
// (scripts/peers/bench_model.py, torch threads = our threads) in the same run, and as a fraction
// of the sgemm peak measured in the same run.
//
// The timed step is what training runs: the mean next-token cross-entropy — ours through
// DecoderModel.tokenLogProbs (LM head + fused log-softmax/gather in row chunks), torch's through
// logits + F.cross_entropy. FLOPs per token, for the fraction of peak (Kaplan et al. 2020,
// arXiv 2001.08361, §2.1: forward ≈ 2·N_matmul + attention; backward ≈ 2 × forward):
//   forward = 2·(matmul parameters incl. LM head) + 4·L·T·H·D (QKᵀ and P·V over full T×T tiles),
//   forward+backward = 3 × forward.
import AlignModels
import AlignTensor
import ArgumentParser
import Foundation

struct BenchModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Decoder forward and forward+backward tokens/s beside PyTorch, as a fraction of sgemm peak.")

    @OptionGroup var options: BenchOptions

    @Option(help: "The tiny Llama folder (skipped when absent).")
    var tinyLlama = "../shared/data/models/tiny-llama"

    @Option(help: "Python with torch and transformers for the peer (empty: no peer).")
    var python = "python3"

    @Option(help: "The peer script.")
    var peerScript = "scripts/peers/bench_model.py"

    @Option(help: "Batch size B.")
    var batch = 8

    @Option(help: "Sequence length T.")
    var seq = 256

    @Option(help: "Timed runs per case (after one warm-up); the median is reported.")
    var runs = 3

    @Flag(help: "Only the tiny Llama (skip the 135M model).")
    var tinyOnly = false

    func validate() throws {
        guard batch > 0, seq > 1, runs > 0 else { throw ValidationError("--batch, --runs must be ≥ 1 and --seq ≥ 2") }
    }

    func run() throws {
        let env = options.prepare()
        let sgemm = GemmBench.run([GemmCase.standard[2]], minSeconds: options.minSeconds)[0].peerValue ?? 0
        var records = [BenchRecord(bench: "model", case: "sgemm 2048³ (direct cblas_sgemm)", unit: "GFLOP/s", alignkit: sgemm)]
        var cases: [(String, String, () throws -> DecoderModel)] = []
        if FileManager.default.fileExists(atPath: tinyLlama + "/config.json") {
            cases.append(("tiny-llama", "tiny", { try DecoderModel.load(directory: URL(fileURLWithPath: tinyLlama)) }))
        } else {
            FileHandle.standardError.write(Data("tiny Llama not found at \(tinyLlama); skipped\n".utf8))
        }
        if !tinyOnly { cases.append(("llama-135M random", "135m", { ModelBench.randomModel(ModelBench.smolLM135M) })) }
        for (name, peerName, make) in cases {
            let model = try make()
            let ours = try ModelBench.measure(model, batch: batch, seq: seq, runs: runs)
            let peer = ModelBench.peer(python: python, script: peerScript, model: peerName, tinyDir: tinyLlama,
                                       threads: Parallel.threads, batch: batch, seq: seq, runs: runs)
            let tokens = Double(batch * seq)
            let fwdFlops = ModelBench.forwardFlopsPerToken(model.spec, seq: seq)
            let limits = (sgemm * 1e9 / fwdFlops, sgemm * 1e9 / (3 * fwdFlops))  // tokens/s at sgemm peak
            records.append(BenchRecord(bench: "model", case: "\(name) forward \(batch)×\(seq)", unit: "tokens/s",
                                       alignkit: tokens / ours.forward, peer: peer.map { "torch \($0.version)" },
                                       peerValue: peer.map { tokens / $0.forward }, limit: limits.0))
            records.append(BenchRecord(bench: "model", case: "\(name) forward+backward \(batch)×\(seq)", unit: "tokens/s",
                                       alignkit: tokens / ours.forwardBackward, peer: peer.map { "torch \($0.version)" },
                                       peerValue: peer.map { tokens / $0.forwardBackward }, limit: limits.1))
        }
        if options.json {
            records.forEach { print($0.jsonLine()) }
        } else {
            print("align bench model — \(env); limit = tokens/s at the sgemm 2048³ rate of this run")
            print(benchTable(records))
        }
    }
}

/// Model construction, timing and the PyTorch peer for `align bench model`.
enum ModelBench {
    /// SmolLM-135M's shape (HuggingFaceTB/SmolLM-135M config.json), random weights.
    static var smolLM135M: DecoderSpec {
        let inv = (try? Rope.inverseFrequencies(dimension: 64, theta: 10000)) ?? []
        return DecoderSpec(vocabSize: 49152, hiddenSize: 576, layers: 30, heads: 9, kvHeads: 3, headDim: 64,
                           intermediateSize: 1536, norm: .rms(eps: 1e-5),
                           positions: .rotary(inverseFrequencies: inv, attentionScaling: 1), tiedEmbeddings: true)
    }

    /// Weights ~ N(0, 0.02) (transformers' initializer_range), norms 1 (DecoderModel+Init.swift), seed 0.
    static func randomModel(_ spec: DecoderSpec) -> DecoderModel {
        DecoderModel.randomlyInitialized(spec: spec, initializerRange: 0.02, seed: 0)
    }

    /// Median seconds of the loss forward (no tape) and of forward+backward.
    static func measure(_ model: DecoderModel, batch: Int, seq: Int, runs: Int) throws -> (forward: Double, forwardBackward: Double) {
        var g = RandomGenerator(seed: 1)
        let v = model.spec.vocabSize
        let ids = (0 ..< batch).map { _ in (0 ..< seq).map { _ in Int32(3 + Int(g.nextUniform() * Float(v - 3)) % (v - 3)) } }
        let labels = ids.map { Array($0.dropFirst()) + [-100] }
        let count = Float(batch * (seq - 1))
        func loss() throws -> Tensor { -(try model.tokenLogProbs(ids, labels: labels)).sum() / count }
        var failure: Error?
        model.setTrainable(false)
        let fwd = Stopwatch.median(minRuns: runs, minSeconds: 0) {
            do { _ = try Autograd.withoutGrad { try loss() } } catch { failure = error }
        }
        model.setTrainable(true)
        let fb = Stopwatch.median(minRuns: runs, minSeconds: 0) {
            model.parameters.forEach { $0.zeroGrad() }
            do { try loss().backward() } catch { failure = error }
        }
        if let failure { throw failure }
        return (fwd, fb)
    }

    /// Forward FLOPs per token: 2 per matmul weight (projections, MLP, LM head) plus attention's
    /// QKᵀ and P·V (2·T·H·D each per token per layer, full tiles).
    static func forwardFlopsPerToken(_ s: DecoderSpec, seq: Int) -> Double {
        let c = Double(s.hiddenSize), hd = Double(s.heads * s.headDim), kv = Double(s.kvHeads * s.headDim)
        let mlp = Double(s.intermediateSize) * c * (s.mlp == .gated ? 3 : 2)
        let perLayer = c * hd * 2 + c * kv * 2 + mlp
        let matmul = Double(s.layers) * perLayer + Double(s.vocabSize) * c
        return 2 * matmul + 4 * Double(s.layers) * Double(seq) * hd
    }

    /// Runs the PyTorch peer; nil (with a note on stderr) when it cannot run.
    static func peer(python: String, script: String, model: String, tinyDir: String, threads: Int, batch: Int, seq: Int,
                     runs: Int) -> (forward: Double, forwardBackward: Double, version: String)? {
        let args = ["--model", model, "--tiny-dir", tinyDir, "--threads", "\(threads)", "--batch", "\(batch)",
                    "--seq", "\(seq)", "--runs", "\(runs)"]
        guard let obj = PythonPeer.run(python: python, script: script, arguments: args, threads: threads),
              let f = obj["forward_s"] as? Double, let fb = obj["forward_backward_s"] as? Double else { return nil }
        return (f, fb, obj["torch"] as? String ?? "?")
    }
}
