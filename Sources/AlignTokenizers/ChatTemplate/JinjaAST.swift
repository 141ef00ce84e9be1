// JinjaAST: the parsed form of a template — statement nodes and expression trees, each carrying the source
// position used in runtime errors. Mirrors the node set of jinja2 `nodes.py` that chat templates use.

/// An expression with its source position.
final class JinjaExpr {
    indirect enum Kind {
        case literal(JinjaValue)
        case name(String)
        case list([JinjaExpr])
        case tuple([JinjaExpr])
        case dict([(JinjaExpr, JinjaExpr)])
        case attribute(JinjaExpr, String)
        case item(JinjaExpr, JinjaExpr)
        case slice(JinjaExpr, start: JinjaExpr?, stop: JinjaExpr?, step: JinjaExpr?)
        case call(JinjaExpr, args: [JinjaExpr], kwargs: [(String, JinjaExpr)])
        case filter(JinjaExpr, name: String, args: [JinjaExpr], kwargs: [(String, JinjaExpr)])
        case test(JinjaExpr, name: String, args: [JinjaExpr], negated: Bool)
        case unary(String, JinjaExpr)
        case binary(String, JinjaExpr, JinjaExpr)
        case conditional(JinjaExpr, condition: JinjaExpr, otherwise: JinjaExpr?)
    }
    let kind: Kind
    let pos: JinjaSourcePosition
    init(_ kind: Kind, _ pos: JinjaSourcePosition) {
        self.kind = kind
        self.pos = pos
    }
}

/// What `{% set %}` assigns to.
enum JinjaSetTarget {
    case name(String)
    case names([String])
    case attribute(String, String)
}

/// One macro parameter with its optional default.
struct JinjaParameter {
    let name: String
    let defaultValue: JinjaExpr?
}

/// A statement or text node.
indirect enum JinjaNode {
    case text(String)
    case output(JinjaExpr)
    case ifBlock(branches: [(JinjaExpr, [JinjaNode])], otherwise: [JinjaNode])
    case forLoop(targets: [String], iterable: JinjaExpr, filter: JinjaExpr?, body: [JinjaNode],
                 otherwise: [JinjaNode], pos: JinjaSourcePosition)
    case set(JinjaSetTarget, JinjaExpr, pos: JinjaSourcePosition)
    case setBlock(JinjaSetTarget, body: [JinjaNode], pos: JinjaSourcePosition)
    case macro(name: String, params: [JinjaParameter], body: [JinjaNode], pos: JinjaSourcePosition)
    case callBlock(call: JinjaExpr, params: [JinjaParameter], body: [JinjaNode])
    case filterBlock(name: String, args: [JinjaExpr], kwargs: [(String, JinjaExpr)], body: [JinjaNode],
                     pos: JinjaSourcePosition)
    case breakLoop
    case continueLoop
    /// transformers' `{% generation %}` marks assistant text; rendering passes its body through.
    case generation([JinjaNode])
}
