// TrainBench: one DPO training configuration of `align bench train`, run in its own process (the hidden
// `align bench train-case`) so that the peak RSS it reports belongs to that configuration alone — the
// PyTorch peers (scripts/peers/bench_train.py) run one configuration per process for the same reason.
//
// The case mirrors the peer: B pairs of random token ids (prompt P, chosen and rejected C each, no padding),
// DPO sigmoid with beta 0.1, AdamW lr 1e-6, clipping at 1.0, fp32, full fine-tuning or LoRA r 16 / alpha 32 on
// every linear layer of the decoder blocks. DPOTrainer computes the reference log-probs once before training
// (reported as precompute_s, outside the step rate), as TRL does with precompute_ref_log_probs=True.
import AlignData
import AlignModels
import AlignTensor
import AlignTraining
import ArgumentParser
import Dispatch
import Foundation

/// The measurements of one case.
struct TrainCaseResult: Codable {
    /// Median seconds per optimizer step after the warm-up steps.
    var stepS: Double
    /// Seconds to compute the reference log-probs before training.
    var precomputeS: Double
    /// Peak resident set of the process, MB.
    var peakRSSMB: Double

    enum CodingKeys: String, CodingKey {
        case stepS = "step_s", precomputeS = "precompute_s", peakRSSMB = "peak_rss_mb"
    }
}

enum TrainBench {
    static let loraTargets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]

    /// `count` pairs of random ids in [3, vocab): prompt `promptLength`, completions `completionLength`.
    static func randomPairs(_ count: Int, promptLength: Int, completionLength: Int, vocab: Int) -> [TokenizedPreference] {
        var g = RandomGenerator(seed: 1)
        func ids(_ n: Int) -> [Int32] { (0 ..< n).map { _ in Int32(3 + Int(g.nextUniform() * Float(vocab - 3)) % (vocab - 3)) } }
        return (0 ..< count).map { _ in
            TokenizedPreference(prompt: ids(promptLength), chosen: ids(completionLength), rejected: ids(completionLength))
        }
    }

    /// Trains `warmup + steps` optimizer steps and returns the median step time of the last `steps`.
    static func run(model: DecoderModel, lora: Bool, batch: Int, promptLength: Int, completionLength: Int,
                    steps: Int, warmup: Int) throws -> TrainCaseResult {
        if lora {
            try model.attachLoRA(targets: loraTargets, rank: 16, alpha: 32, seed: 0)
        } else {
            model.setTrainable(true)
        }
        var config = TrainingConfig()
        config.perDeviceTrainBatchSize = batch
        config.maxSteps = warmup + steps
        config.loggingSteps = 1
        config.shuffle = false
        let data = randomPairs(batch * (warmup + steps), promptLength: promptLength, completionLength: completionLength,
                               vocab: min(model.spec.vocabSize, 32000))
        let t0 = now()
        let trainer = try DPOTrainer(model: model, objective: try DPOLoss(config: DPOConfig()), config: config,
                                     data: data, padID: 0)
        let precompute = now() - t0
        var times: [Double] = []
        var last = now()
        try trainer.train { _ in
            let t = now()
            times.append(t - last)
            if Profile.isEnabled {  // per step, on stderr (ALIGNKIT_PROFILE=1)
                FileHandle.standardError.write(Data("step \(times.count): \(t - last) s\n\(Profile.report())".utf8))
            }
            last = t
            return true
        }
        let timed = Array(times.dropFirst(warmup)).sorted()
        guard !timed.isEmpty else { throw ValidationError("bench train: no timed steps (steps \(steps))") }
        return TrainCaseResult(stepS: timed[timed.count / 2], precomputeS: precompute, peakRSSMB: peakRSSMB())
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// The process's peak resident set in MB (getrusage ru_maxrss is in KiB on Linux).
    static func peakRSSMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Runs `align bench train-case …` in a child process and decodes its last stdout line.
    static func runChild(arguments: [String]) throws -> TrainCaseResult {
        let p = Process()
        p.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        p.arguments = ["bench", "train-case"] + arguments
        let last = try PythonPeer.lastStdoutLine(p)
        guard p.terminationStatus == 0, let r = try? JSONDecoder().decode(TrainCaseResult.self, from: Data(last.utf8)) else {
            throw ValidationError("bench train-case \(arguments) failed (status \(p.terminationStatus)): \(last)")
        }
        return r
    }
}

/// `align bench train-case`: one configuration, printed as one JSON line (used by `align bench train`).
struct BenchTrainCaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-case", abstract: "One `bench train` configuration in this process (internal).",
        shouldDisplay: false)

    @Option var model = "tiny"
    @Option var tinyLlama = "../shared/data/models/tiny-llama"
    @Flag var lora = false
    @Option var threads: Int?
    @Option var batch = 8
    @Option var promptLength = 64
    @Option var completionLength = 64
    @Option var steps = 5
    @Option var warmup = 2

    func run() throws {
        if let t = threads { Parallel.threads = t }
        let m = model == "tiny" ? try DecoderModel.load(directory: URL(fileURLWithPath: tinyLlama))
            : ModelBench.randomModel(ModelBench.smolLM135M)
        let r = try TrainBench.run(model: m, lora: lora, batch: batch, promptLength: promptLength,
                                   completionLength: completionLength, steps: steps, warmup: warmup)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        print(String(decoding: try enc.encode(r), as: UTF8.self))
    }
}
