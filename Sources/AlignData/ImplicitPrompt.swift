// ImplicitPrompt: TRL's `extract_prompt` (trl/data_utils.py, TRL 1.16) for preference rows that have only
// `chosen` and `rejected`: the prompt is their shared prefix — of characters (Unicode scalars, as Python
// string indices) for text, of whole messages for conversations — and is removed from both completions.
// TRL's quirks are kept on purpose so the split matches it exactly:
//  * text: when the divergence point follows a space, the space goes to the completions;
//  * when one side is a prefix of the other, the loop ends without `break` and its index is the last
//    compared position (min length − 1), so the last shared element stays in the completions;
//  * the space check reads index −1 (Python: the last element) when the sides differ at position 0.
import AlignTokenizers

enum ImplicitPrompt {
    /// The split index TRL's loop ends with, on two sequences of comparable elements.
    static func splitIndex<T: Equatable>(_ chosen: [T], _ rejected: [T], isSpace: (T) -> Bool) -> Int {
        let n = min(chosen.count, rejected.count)
        guard n > 0 else { return 0 }
        for idx in 0 ..< n where chosen[idx] != rejected[idx] {
            // Python's chosen[idx - 1] wraps to the last element when idx == 0.
            let before = idx == 0 ? chosen[chosen.count - 1] : chosen[idx - 1]
            return isSpace(before) ? idx - 1 : idx
        }
        return n - 1
    }

    /// Python slice bounds for a possibly negative `idx` (−1 means "all but the last").
    static func slices<T>(_ a: [T], _ idx: Int) -> (head: [T], tail: [T]) {
        let cut = idx < 0 ? max(a.count + idx, 0) : min(idx, a.count)
        return (Array(a[..<cut]), Array(a[cut...]))
    }

    /// Splits (chosen, rejected) into (prompt, chosen, rejected) as `extract_prompt` does.
    static func split(chosen: TurnContent, rejected: TurnContent) -> (TurnContent, TurnContent, TurnContent) {
        switch (chosen, rejected) {
        case let (.text(c), .text(r)):
            let cs = Array(c.unicodeScalars), rs = Array(r.unicodeScalars)
            let idx = splitIndex(cs, rs) { $0 == " " }
            let (p, ct) = slices(cs, idx), (_, rt) = slices(rs, idx)
            return (.text(string(p)), .text(string(ct)), .text(string(rt)))
        case let (.messages(c), .messages(r)):
            // A message (a dict in Python) never equals " ".
            let idx = splitIndex(c, r) { _ in false }
            let (p, ct) = slices(c, idx), (_, rt) = slices(r, idx)
            return (.messages(p), .messages(ct), .messages(rt))
        default:
            return (.text(""), chosen, rejected)  // mixed kinds are rejected by the loader before this
        }
    }

    static func string(_ scalars: [Unicode.Scalar]) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }
}
