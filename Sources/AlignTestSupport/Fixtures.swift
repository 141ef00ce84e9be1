// Fixture paths: the repository's committed fixtures and the shared data folder beside it.
import Foundation

/// Where test data lives, resolved from this file's location so tests run from any directory.
public enum FixturePaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/<name>` in this repository.
    public static func fixture(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }

    /// `../shared/data/<name>`: the shared data sets (IFEval, JSON Schema suites, models, …).
    public static func shared(_ name: String) -> URL {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data").appendingPathComponent(name)
    }

    /// Loads and decodes a committed JSON fixture.
    public static func loadJSON<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: fixture(name)))
    }
}
