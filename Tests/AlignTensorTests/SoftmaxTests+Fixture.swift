// Loader for Tests/Fixtures/kernels-k2/softmax_family.json, written by
// scripts/fixtures/softmax_family_k2.py (torch 2.15.0, float32): one case per op with inputs,
// upstream gradients, torch's outputs and torch autograd's gradients. JSON null stands for −inf.
import Foundation
import AlignTestSupport

/// One fixture case: a JSON object with typed accessors that fail loudly on missing keys.
struct K2Case {
    let fields: [String: Any]

    var name: String { fields["name"] as? String ?? "?" }

    func floats(_ key: String) throws -> [Float] {
        guard let values = fields[key] as? [Any] else { throw K2FixtureError.missing(key, name) }
        return values.map { ($0 as? NSNumber).map { Float($0.doubleValue) } ?? -.infinity }
    }

    func ints(_ key: String) throws -> [Int] {
        guard let values = fields[key] as? [NSNumber] else { throw K2FixtureError.missing(key, name) }
        return values.map(\.intValue)
    }

    func int32s(_ key: String) throws -> [Int32] { try ints(key).map(Int32.init) }

    func number(_ key: String) throws -> Double {
        guard let v = fields[key] as? NSNumber else { throw K2FixtureError.missing(key, name) }
        return v.doubleValue
    }
}

enum K2FixtureError: Error, CustomStringConvertible {
    case missing(String, String)
    case unreadable(String)

    var description: String {
        switch self {
        case let .missing(key, name): return "kernels-k2 fixture: case '\(name)' has no key '\(key)'"
        case let .unreadable(path): return "kernels-k2 fixture: cannot parse \(path)"
        }
    }
}

enum K2Fixture {
    /// All cases whose "op" is `op`.
    static func cases(_ op: String) throws -> [K2Case] {
        let url = FixturePaths.fixture("kernels-k2/softmax_family.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let root = object as? [String: Any], let cases = root["cases"] as? [[String: Any]] else {
            throw K2FixtureError.unreadable(url.path)
        }
        return cases.filter { $0["op"] as? String == op }.map(K2Case.init)
    }
}
