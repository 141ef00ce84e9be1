import Testing
@testable import AlignTokenizers

@Suite struct TmpFuzz {
    @Test func fuzz() {
        var state: UInt64 = 987654321
        func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB; return z ^ (z >> 31) }
        let frags = ["{{ ", " }}", "{% ", " %}", "{%- ", " -%}", "{# ", " #}", "if ", "elif ", "else", "endif", "for ", " in ", "endfor", "set ", " = ",
                     "x", "messages", "m", "loop", ".index", ".last", "[0]", "[-1]", "[::-1]", "[1:", "]", "(", ")", "'s'", "\"t\"", "1", "-2", "3.5",
                     " + ", " - ", " * ", " / ", " // ", " % ", " ** ", " ~ ", " == ", " < ", " and ", " or ", "not ", " is ", "defined", "none", "string",
                     " | ", "length", "tojson", "trim", "join(',')", "items", "list", "first", "default('d')", "round", "int", "upper", "map(attribute='a')",
                     "selectattr('a')", "namespace(a=1)", "ns.a", "raise_exception('r')", "strftime_now('%d')", "range(3)", "macro ", "endmacro", "call ",
                     "endcall", "caller()", "{'k': 1}", "[1, 2]", ",", ":", "break", "continue", "'%s' % ", "\n", "  ", "text", "*", "**", ".split()", ".strip()",
                     "generation", "endgeneration", "filter ", "endfilter", "true", "false", "is not ", " if ", " else "]
        var parsed = 0, rendered = 0
        for _ in 0..<300_000 {
            let n = Int(next() % 60)
            var src = ""
            for _ in 0..<n { src += frags[Int(next() % UInt64(frags.count))] }
            guard let t = try? ChatTemplate(source: src) else { continue }
            parsed += 1
            if (try? t.render(messages: [["role": "user", "content": "hi", "a": [1]]], extra: ["x": [3, 1, 2], "ns": ["a": 1]])) != nil { rendered += 1 }
        }
        print("FUZZ parsed \(parsed) rendered \(rendered)")
    }
}
