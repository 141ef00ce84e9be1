// `align bench gemm --shape` and `align bench train --rounds`: a shape parses into the product it names or is a
// validation error quoting the text; rounds must be ≥ 1, and the per-round figures combine by their median.
import Testing
@testable import AlignCLI

@Suite("align bench gemm --shape, bench train --rounds")
struct BenchShapeRoundsTests {
    @Test("MxNxK[:TN] parses into sizes and transposes; malformed shapes are rejected, quoting the text")
    func shapes() throws {
        let plain = try GemmCase(parsing: "3072x576x1536")
        #expect((plain.m, plain.n, plain.k, plain.transA, plain.transB) == (3072, 576, 1536, false, false))
        #expect(plain.flops == 2 * 3072 * 576 * 1536)
        let tn = try GemmCase(parsing: "576x576x3072:tn")
        #expect((tn.m, tn.n, tn.k, tn.transA, tn.transB) == (576, 576, 3072, true, false))
        #expect(tn.name == "576×576×3072 TN")
        for bad in ["3072x576", "3072x576x0", "ax576x3", "64x64x64:TX", "64x64x64:T", "64x64x64:NN:NN", "12x3ax4x5", "x64x64x64"] {
            do {
                _ = try GemmCase(parsing: bad)
                Issue.record("'\(bad)' parsed")
            } catch {
                #expect("\(error)".contains(bad), "\(error)")
            }
        }
        #expect(throws: (any Error).self) { try BenchGemmCommand.parse(["--shape", "1x2"]) as BenchGemmCommand }
        let parsed = try BenchGemmCommand.parse(["--shape", "64x64x64", "--shape", "8x8x8:NT"])
        #expect(parsed.shapes == ["64x64x64", "8x8x8:NT"])
    }

    @Test("--rounds must be at least 1; rounds combine by their median")
    func rounds() throws {
        #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--rounds", "0"]) }
        #expect(try BenchTrainCommand.parse(["--rounds", "3"]).rounds == 3)
        #expect(try BenchTrainCommand.parse([]).rounds == 1)
        #expect(BenchTrainCommand.median([21.0]) == 21)
        #expect(BenchTrainCommand.median([23.0, 20.0]) == 21.5)
        #expect(BenchTrainCommand.median([30.0, 20.0, 21.0]) == 21)
        #expect(BenchTrainCommand.median([]).isNaN)
    }
}
