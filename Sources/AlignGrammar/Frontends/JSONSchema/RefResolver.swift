// RefResolver: resolves `$ref` inside one document: "#" + JSON pointer (RFC 6901, with percent-decoding
// of the fragment), "#name" via `$anchor`, and references to subschemas by their `$id` (exact, or by
// the last path segment relative to the base). Remote documents are not fetched: unresolved is an error.
import Foundation

struct RefResolver {
    let root: JSONValue
    private var ids: [String: Located] = [:]
    private var anchors: [String: Located] = [:]
    private var baseAt: [String: String] = [:]

    init(root: JSONValue) {
        self.root = root
        index(Located(value: root, ptr: "#"), base: "", depth: 0)
    }

    private mutating func index(_ l: Located, base: String, depth: Int) {
        if depth > 200 { return }
        var base = base
        switch l.value {
        case .object(let ms):
            if case .string(let id)? = l.value["$id"] {
                base = RefResolver.resolveURI(RefResolver.stripFragment(id), against: base)
                ids[base] = l
            }
            if l.ptr == "#" { ids[base] = l }
            baseAt[l.ptr] = base
            if case .string(let a)? = l.value["$anchor"] { anchors[base + "#" + a] = l }
            for m in ms where !["enum", "const", "default", "examples"].contains(m.key) {
                index(l.child(m.value, m.key), base: base, depth: depth + 1)
            }
        case .array(let items):
            for (i, v) in items.enumerated() { index(l.child(v, String(i)), base: base, depth: depth + 1) }
        default: break
        }
    }

    static func stripFragment(_ u: String) -> String {
        u.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? u
    }

    /// RFC 3986 §5.2 reference resolution (without dot-segment removal beyond "./").
    static func resolveURI(_ ref: String, against base: String) -> String {
        if ref.isEmpty { return base }
        if ref.range(of: "^[A-Za-z][A-Za-z0-9+.-]*:", options: .regularExpression) != nil || base.isEmpty { return ref }
        guard let colon = base.firstIndex(of: ":") else { return ref }
        let scheme = String(base[..<colon])
        if ref.hasPrefix("//") { return scheme + ":" + ref }
        let afterScheme = base[base.index(after: colon)...]
        var authority = ""
        var path = String(afterScheme)
        if afterScheme.hasPrefix("//") {
            let rest = afterScheme.dropFirst(2)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = "//" + rest[..<slash]
            path = String(rest[slash...])
        }
        if ref.hasPrefix("/") { return scheme + ":" + authority + ref }
        let dir = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        var r = Substring(ref)
        while r.hasPrefix("./") { r = r.dropFirst(2) }
        return scheme + ":" + authority + dir + r
    }

    func resolve(_ ref: String, at ptr: String) throws -> Located {
        let parts = ref.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let doc = parts.isEmpty ? "" : String(parts[0])
        let frag = parts.count > 1 ? String(parts[1]) : ""
        let base = RefResolver.resolveURI(doc, against: baseAt[ptr] ?? "")
        guard var cur = ids[base] ?? (doc.isEmpty ? Located(value: root, ptr: "#") : nil) else {
            throw AlignGrammarError.unresolvedReference(ref: ref, pointer: ptr)
        }
        if frag.isEmpty { return cur }
        if !frag.hasPrefix("/") {
            guard let a = anchors[base + "#" + frag] else { throw AlignGrammarError.unresolvedReference(ref: ref, pointer: ptr) }
            return a
        }
        for raw in frag.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let tok = percentDecode(String(raw)).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch cur.value {
            case .object: guard let v = cur.value[tok] else { throw AlignGrammarError.unresolvedReference(ref: ref, pointer: ptr) }
                cur = cur.child(v, tok)
            case .array(let items):
                guard let i = Int(tok), i >= 0, i < items.count else { throw AlignGrammarError.unresolvedReference(ref: ref, pointer: ptr) }
                cur = cur.child(items[i], tok)
            default: throw AlignGrammarError.unresolvedReference(ref: ref, pointer: ptr)
            }
        }
        return cur
    }

    private func percentDecode(_ s: String) -> String {
        var bytes: [UInt8] = []
        var u = Array(s.utf8)[...]
        while let c = u.first {
            if c == UInt8(ascii: "%"), u.count >= 3,
               let v = UInt8(String(decoding: u.dropFirst().prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v); u = u.dropFirst(3)
            } else { bytes.append(c); u = u.dropFirst() }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

