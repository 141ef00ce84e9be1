// `align bench gemm`: matmul GFLOP/s beside direct cblas_sgemm (release builds only mean anything).
import AlignTensor
import ArgumentParser
import Foundation

/// Options every benchmark shares.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Print one JSON object per line (DESIGN.md's benchmark format) instead of a table.")
    var json = false

    @Option(help: "Threads for BLAS and AlignKit kernels (default: all cores).")
    var threads: Int?

    @Option(help: "Minimum seconds of timed runs per case.")
    var minSeconds: Double = 0.5

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be ≥ 1, got \(t)") }
        if minSeconds < 0 { throw ValidationError("--min-seconds must be ≥ 0") }
    }

    /// Applies the thread knob and describes the environment for the report header.
    func prepare() -> String {
        if let t = threads { Parallel.threads = t }
        let env = ProcessInfo.processInfo.environment
        let core = env["OPENBLAS_CORETYPE"].map { "OPENBLAS_CORETYPE=\($0)" } ?? "OPENBLAS_CORETYPE unset"
        return "threads \(Parallel.threads), BLAS \(BLAS.vendor) (\(core))"
    }
}

struct BenchGemmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm", abstract: "Matmul GFLOP/s: AlignKit's Tensor.matmul beside a direct cblas_sgemm call.")

    @OptionGroup var options: BenchOptions

    @Option(name: .customLong("shape"), help: ArgumentHelp(
        "Time this product instead of the standard cases: MxNxK, optionally :TN/:NT/:TT for transposed operands (repeatable).",
        valueName: "MxNxK[:TN]"))
    var shapes: [String] = []

    func validate() throws {
        for shape in shapes { _ = try GemmCase(parsing: shape) }
    }

    func run() throws {
        let env = options.prepare()
        let cases = shapes.isEmpty ? GemmCase.standard : try shapes.map(GemmCase.init(parsing:))
        var records = GemmBench.run(cases, minSeconds: options.minSeconds)
        // The machine's sgemm limit: the best direct-BLAS rate seen in this run.
        let limit = records.compactMap(\.peerValue).max() ?? 0
        records = records.map { r in
            BenchRecord(bench: r.bench, case: r.case, unit: r.unit, alignkit: r.alignkit, peer: r.peer,
                        peerValue: r.peerValue, limit: limit)
        }
        if options.json {
            records.forEach { print($0.jsonLine()) }
        } else {
            print("align bench gemm — \(env); limit = best cblas_sgemm GFLOP/s in this run")
            print(benchTable(records))
        }
    }
}
