// jsonQuoted: a Swift string as a JSON string literal, for the CLI's hand-ordered JSON lines.
import Foundation

/// `s` as a JSON string literal (slashes left unescaped, like Python's json.dumps).
func jsonQuoted(_ s: String) -> String {
    let d = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
    return String(decoding: d.dropFirst().dropLast(), as: UTF8.self)
}
