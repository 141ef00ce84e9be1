// swift-tools-version: 6.0
// AlignKit: align language models with human preferences and constraints, on the CPU, in Swift.
// The module map and the direction of dependencies are in Docs/architecture.md (from DESIGN.md):
//   CBLAS → AlignTensor → AlignModels → {AlignTraining, AlignDecoding} → AlignEval → {AlignServer, align}
//   AlignTokenizers → AlignData; AlignGrammar (token ids and bitsets only) → AlignDecoding
import PackageDescription

let package = Package(
    name: "AlignKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "AlignKit", targets: [
            "AlignTensor", "AlignModels", "AlignTokenizers", "AlignGrammar", "AlignData",
            "AlignTraining", "AlignDecoding", "AlignEval", "AlignServer",
        ]),
        .executable(name: "align", targets: ["align"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The only C import: OpenBLAS's cblas.h on Linux; macOS uses Accelerate instead.
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .target(name: "AlignTensor", dependencies: [
            .target(name: "CBLAS", condition: .when(platforms: [.linux])),
        ]),
        .target(name: "AlignModels", dependencies: ["AlignTensor"]),
        .target(name: "AlignTokenizers"),
        .target(name: "AlignGrammar"),
        .target(name: "AlignData", dependencies: ["AlignTokenizers"]),
        .target(name: "AlignTraining", dependencies: ["AlignModels", "AlignData"]),
        .target(name: "AlignDecoding", dependencies: ["AlignModels", "AlignData", "AlignGrammar"]),
        .target(name: "AlignEval", dependencies: ["AlignTraining", "AlignDecoding"],
                resources: [.copy("Resources/punkt_tab_english"), .copy("Resources/langdetect")]),
        .target(name: "AlignServer", dependencies: ["AlignEval"]),
        // End-to-end pipelines (the embedded demo, the verify → pair → train loop) and their bundled files.
        .target(name: "AlignRecipes", dependencies: ["AlignEval"], resources: [.copy("Resources/Demo")]),
        // The CLI's commands live in a library so tests can run them in-process;
        // the executable is only their entry point.
        .target(name: "AlignCLI", dependencies: [
            "AlignEval", "AlignRecipes", "AlignServer",
            // Direct cblas_sgemm calls: the peer `align bench gemm` reports against.
            .target(name: "CBLAS", condition: .when(platforms: [.linux])),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "align", dependencies: ["AlignCLI"]),
        .target(name: "AlignTestSupport", dependencies: ["AlignTensor"]),

        .testTarget(name: "AlignTensorTests", dependencies: ["AlignTensor", "AlignTestSupport"]),
        .testTarget(name: "AlignModelsTests", dependencies: ["AlignModels", "AlignTestSupport"]),
        .testTarget(name: "AlignTokenizersTests", dependencies: ["AlignTokenizers", "AlignTestSupport"]),
        .testTarget(name: "AlignGrammarTests", dependencies: ["AlignGrammar", "AlignTestSupport"]),
        .testTarget(name: "AlignDataTests", dependencies: ["AlignData", "AlignTestSupport"]),
        .testTarget(name: "AlignTrainingTests", dependencies: ["AlignTraining", "AlignTestSupport"]),
        .testTarget(name: "AlignDecodingTests", dependencies: ["AlignDecoding", "AlignTestSupport"]),
        .testTarget(name: "AlignEvalTests", dependencies: ["AlignEval", "AlignTestSupport"]),
        .testTarget(name: "AlignRecipesTests", dependencies: ["AlignRecipes", "AlignTestSupport"]),
        .testTarget(name: "AlignServerTests", dependencies: ["AlignServer", "AlignTestSupport"]),
        .testTarget(name: "AlignCLITests", dependencies: ["AlignCLI", "AlignTestSupport"]),
    ],
    // Swift 5 language mode: kernels share unsafe buffers across threads by design (each thread
    // writes a disjoint range), which Swift 6's strict Sendable checking cannot express cheaply.
    swiftLanguageModes: [.v5]
)
