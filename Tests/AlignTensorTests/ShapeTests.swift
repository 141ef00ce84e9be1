import Testing
import AlignTensor
import AlignTestSupport

@Suite("shapes and broadcasting")
struct ShapeTests {
    @Test("broadcast follows PyTorch's trailing-dimension rule")
    func broadcastRule() throws {
        #expect(try Shape.broadcast([2, 1, 4], [3, 1]) == [2, 3, 4])
        #expect(try Shape.broadcast([], [5]) == [5])
        #expect(throws: TensorError.self) { try Shape.broadcast([2, 3], [4]) }
    }

    @Test("shape errors name the op and the shapes")
    func errorMessage() {
        do {
            _ = try Shape.broadcast([2, 3], [4], op: "add")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "add: shapes [2, 3] and [4] do not fit; expected broadcastable shapes")
        }
    }
}
