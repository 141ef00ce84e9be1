// TrainProgress and MetricsFile: what a run shows and keeps. Progress prints one line per logged step
// (every logging_steps, plus the first and last) with loss, reward accuracy, learning rate, elapsed time
// and ETA. MetricsFile keeps output_dir/metrics.jsonl as one StepLog.jsonLine() per optimizer step,
// rewritten atomically after each step; on resume it keeps the lines up to the checkpoint's step.
import AlignTraining
import Foundation

struct TrainProgress {
    let totalSteps: Int
    let firstStep: Int
    let loggingSteps: Int
    let start = Date()

    /// The line for `log`, or nil when this step is not a logged one.
    mutating func line(for log: StepLog) -> String? {
        let logged = log.step == firstStep + 1 || log.step == totalSteps || (loggingSteps > 0 && log.step % loggingSteps == 0)
        guard logged else { return nil }
        let elapsed = Date().timeIntervalSince(start)
        let done = log.step - firstStep
        let eta = done > 0 ? elapsed / Double(done) * Double(totalSteps - log.step) : 0
        let acc = log.metrics["rewards/accuracies"].map { String(format: " acc %.3f", $0) } ?? ""
        return String(format: "step %d/%d loss %.6f%@ lr %.3e grad_norm %.4f | %.1fs elapsed, eta %.1fs",
                      log.step, totalSteps, log.loss, acc, log.learningRate, log.gradNorm, elapsed, eta)
    }
}

struct MetricsFile {
    let url: URL
    private(set) var lines: [String]
    private var error: Error?

    /// Starts the file; lines of a previous run with `step` ≤ `keepingStepsUpTo` are kept (resume).
    init(url: URL, keepingStepsUpTo step: Int) throws {
        self.url = url
        lines = []
        guard step > 0, let text = try? String(contentsOf: url, encoding: .utf8) else { return }
        for line in text.split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let s = obj["step"] as? Int else { continue }
            if s <= step { lines.append(String(line)) }
        }
    }

    /// Appends one step and rewrites the file atomically.
    mutating func append(_ log: StepLog) throws {
        lines.append(log.jsonLine())
        do { try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url, options: .atomic) } catch {
            self.error = error
            throw AlignCLIError.writeFailed(file: url.path, reason: error.localizedDescription)
        }
    }

    /// Rethrows a write error that stopped training early.
    func flushError() throws {
        if let error { throw error }
    }
}
