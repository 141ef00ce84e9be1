import Testing
import AlignTensor
import AlignTestSupport

@Suite("dtype conversion")
struct DTypeTests {
    @Test("F16 bit patterns convert exactly, subnormals and infinities included")
    func halfExact() {
        // (bits, value) pairs from the IEEE 754 binary16 definition.
        let table: [(UInt16, Float)] = [
            (0x3C00, 1), (0xC000, -2), (0x3555, 0.333251953125), (0x7BFF, 65504),
            (0x0001, 5.9604644775390625e-8), (0x0400, 6.103515625e-5), (0x7C00, .infinity), (0x8000, -0.0),
        ]
        for (bits, value) in table {
            #expect(halfToFloat(bits) == value, "0x\(String(bits, radix: 16))")
            #expect(floatToHalf(value) == bits, "\(value)")
        }
        #expect(halfToFloat(0x7E00).isNaN)
        #expect(floatToHalf(65520) == 0x7C00)  // rounds up to infinity
        #expect(floatToHalf(1.00048828125) == 0x3C00)  // halfway: ties to even
    }

    @Test("BF16 is the top half of F32 with round-to-nearest-even")
    func bf16() {
        #expect(floatToBF16(1) == 0x3F80)
        #expect(floatToBF16(Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie, even stays
        #expect(floatToBF16(Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie, odd rounds up
        #expect(floatToBF16(Float(bitPattern: 0x3F80_8001)) == 0x3F81)
    }

    @Test("byte buffers of each dtype load into Float32 tensors and round-trip")
    func bufferRoundTrip() throws {
        let t = try Tensor([1, -2.5, 0.15625, 1024], shape: [2, 2])
        for dtype in DType.allCases {
            let bytes = t.bytes(as: dtype)
            let back = try bytes.withUnsafeBytes { try Tensor(bytes: $0, dtype: dtype, shape: [2, 2]) }
            #expect(back.scalars == t.scalars, "\(dtype)")
        }
    }

    @Test("a wrong byte count or dtype name is a typed error naming the buffer")
    func badBuffers() throws {
        let bytes = [UInt8](repeating: 0, count: 6)
        #expect(throws: TensorError.byteCountMismatch(what: "w", dtype: "F32", byteCount: 6, expectedBytes: 8)) {
            try bytes.withUnsafeBytes { try Tensor(bytes: $0, dtype: .f32, shape: [2], name: "w") }
        }
        #expect(throws: TensorError.unsupportedDType("I64")) { try DType(name: "I64") }
        #expect(throws: TensorError.sizeMismatch(what: "Tensor.init", shape: [2, 2], expected: 4, actual: 3)) {
            try Tensor([1, 2, 3], shape: [2, 2])
        }
    }
}

@Suite("tensor storage pool")
struct StoragePoolTests {
    @Test("a recycled large buffer comes back zeroed for Tensor(zeros:) and survives a drain")
    func recycledBuffersAreZeroed() {
        let shape = [512, 1024]  // 2 MiB: above the pool's 1 MiB threshold
        do {
            let dirty = Tensor(repeating: 7, shape: shape)
            #expect(dirty.scalars[12345] == 7)
        }  // freed into the pool
        let clean = Tensor(zeros: shape)
        #expect(clean.scalars.allSatisfy { $0 == 0 })
        TensorStorage.releasePooledMemory()
        let again = Tensor(repeating: 1, shape: shape)
        #expect(again.sum().item() == Float(shape[0] * shape[1]))
    }
}
