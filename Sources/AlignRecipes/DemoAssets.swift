// DemoAssets: the files bundled for the embedded default — the AlignKit-trained tiny Llama
// (model/, with its model card), the preference set it is aligned on, held-out pairs and prompts, and
// the constraint spec whose satisfaction rate the demo measures. They are SwiftPM resources of this
// module, so an installed `align` finds them without the source tree. How they were made:
// scripts/demo-model/ and model/README.md.
import Foundation

/// Locations of the bundled demo files.
public struct DemoAssets: Sendable {
    /// The bundled model folder (config.json, model.safetensors, tokenizer files, README.md).
    public let modelDirectory: URL
    /// Training preference pairs: {"prompt", "chosen", "rejected"} JSONL.
    public let preferences: URL
    /// Held-out pairs of the same construction, never trained on.
    public let heldoutPreferences: URL
    /// Prompts for sampling during the loop: {"id", "prompt"} JSONL.
    public let trainPrompts: URL
    /// Held-out prompts on which constraint satisfaction is measured.
    public let heldoutPrompts: URL
    /// The constraint spec (AlignEval's ConstraintSpec format) applied to every prompt.
    public let constraints: URL

    /// The bundled files of this build.
    /// - Throws: `AlignRecipesError.missingResource` when a file is absent.
    public static func bundled() throws -> DemoAssets {
        guard let root = Bundle.module.url(forResource: "Demo", withExtension: nil) else {
            throw AlignRecipesError.missingResource(name: "Demo")
        }
        return try DemoAssets(root: root)
    }

    /// The demo files under `root` (the layout of Resources/Demo).
    public init(root: URL) throws {
        func file(_ name: String) throws -> URL {
            let url = root.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { throw AlignRecipesError.missingResource(name: "Demo/\(name)") }
            return url
        }
        modelDirectory = try file("model")
        _ = try file("model/model.safetensors")
        preferences = try file("preferences.jsonl")
        heldoutPreferences = try file("heldout_preferences.jsonl")
        trainPrompts = try file("train_prompts.jsonl")
        heldoutPrompts = try file("heldout_prompts.jsonl")
        constraints = try file("constraints.json")
    }
}
