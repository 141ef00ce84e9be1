// `align bench kernels`: memory-bound kernels in GB/s and attention in GFLOP/s, each as a fraction
// of the machine's limit measured in the same run (STREAM copy/triad bandwidth; 2048² sgemm).
import AlignTensor
import ArgumentParser

struct BenchKernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Log-softmax+gather, softmax, RMSNorm, attention and LoRA rank-r projection throughput against measured machine limits.")

    @OptionGroup var options: BenchOptions
    @Option(help: "Only these kernel groups (comma-separated: \(KernelBench.groups.joined(separator: ", "))); default all.")
    var groups = KernelBench.groups.joined(separator: ",")

    func validate() throws {
        for g in groups.split(separator: ",") where !KernelBench.groups.contains(String(g)) {
            throw ValidationError("--groups: unknown group '\(g)' (expected a comma-separated list of "
                                  + "\(KernelBench.groups.joined(separator: ", ")))")
        }
    }

    func run() throws {
        let env = options.prepare()
        let bw = MemoryBandwidth.measure()
        let sgemm = GemmBench.run([GemmCase.standard[2]], minSeconds: options.minSeconds)[0].peerValue ?? 0
        var records = [
            BenchRecord(bench: "kernels", case: "memory bandwidth (STREAM copy)", unit: "GB/s", alignkit: bw.copy),
            BenchRecord(bench: "kernels", case: "memory bandwidth (STREAM triad)", unit: "GB/s", alignkit: bw.triad),
            BenchRecord(bench: "kernels", case: "memory bandwidth (read-only sum)", unit: "GB/s", alignkit: bw.read),
            BenchRecord(bench: "kernels", case: "sgemm 2048³ (direct cblas_sgemm)", unit: "GFLOP/s", alignkit: sgemm),
        ]
        records += try KernelBench.run(bandwidth: bw.best, sgemm: sgemm, minSeconds: options.minSeconds,
                                    groups: Set(groups.split(separator: ",").map(String.init)))
        if options.json {
            records.forEach { print($0.jsonLine()) }
        } else {
            print("align bench kernels — \(env); limits measured in this run")
            print(benchTable(records))
        }
    }
}
