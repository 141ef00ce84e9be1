// PythonPeer: runs a peer benchmark script (PyTorch, transformers) in a child process with the
// same thread count and reads the JSON object it prints on its last line.
import Foundation

enum PythonPeer {
    /// The last stdout line of `python script arguments…` parsed as a JSON object, or nil (with a
    /// note on stderr) when the peer cannot start, fails, or prints no object.
    static func run(python: String, script: String, arguments: [String], threads: Int) -> [String: Any]? {
        guard !python.isEmpty else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, script] + arguments
        var env = ProcessInfo.processInfo.environment
        env["OMP_NUM_THREADS"] = "\(threads)"
        p.environment = env
        let last: String
        do { last = try lastStdoutLine(p) } catch {
            FileHandle.standardError.write(Data("peer did not start: \(error)\n".utf8))
            return nil
        }
        guard p.terminationStatus == 0,
              let obj = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else {
            FileHandle.standardError.write(Data("peer failed (status \(p.terminationStatus)): \(last)\n".utf8))
            return nil
        }
        return obj
    }

    /// Runs `p` to its end and returns the last line it printed on stdout (its exit status is `p.terminationStatus`).
    static func lastStdoutLine(_ p: Process) throws -> String {
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    }
}
