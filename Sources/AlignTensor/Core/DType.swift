// DType: conversion of F32/F16/BF16 byte buffers (safetensors' little-endian layouts) to Float32.

/// Element types a checkpoint may store. Raw values are safetensors' dtype strings.
public enum DType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"

    /// Bytes per element.
    public var size: Int { self == .f32 ? 4 : 2 }

    /// Parses a safetensors dtype string; throws `unsupportedDType` naming it otherwise.
    public init(name: String) throws {
        guard let d = DType(rawValue: name) else { throw TensorError.unsupportedDType(name) }
        self = d
    }
}

extension Tensor {
    /// Converts little-endian `bytes` of `dtype` into a Float32 tensor of `shape`.
    /// Throws when the byte count does not match the shape.
    public convenience init(bytes: UnsafeRawBufferPointer, dtype: DType, shape: [Int], name: String = "buffer") throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError.invalidShape(op: name, shape: shape) }
        let n = Shape.count(shape)
        guard bytes.count == n * dtype.size else {
            throw TensorError.byteCountMismatch(what: name, dtype: dtype.rawValue, byteCount: bytes.count,
                                                expectedBytes: n * dtype.size)
        }
        self.init(storage: TensorStorage(uninitializedCount: n), offset: 0, shape: shape)
        let out = storage.buffer
        switch dtype {
        case .f32:
            for i in 0 ..< n { out[i] = Float(bitPattern: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian) }
        case .bf16:
            // BF16 is the top half of an F32: shift its bits up.
            for i in 0 ..< n {
                let h = bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian
                out[i] = Float(bitPattern: UInt32(h) << 16)
            }
        case .f16:
            for i in 0 ..< n {
                out[i] = halfToFloat(bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian)
            }
        }
    }

    /// The tensor's elements encoded as little-endian `dtype` bytes (round-to-nearest-even for F16/BF16).
    public func bytes(as dtype: DType) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count * dtype.size)
        withUnsafeBuffer { src in
            out.withUnsafeMutableBytes { dst in
                for i in 0 ..< src.count {
                    switch dtype {
                    case .f32: dst.storeBytes(of: src[i].bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                    case .bf16: dst.storeBytes(of: floatToBF16(src[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                    case .f16: dst.storeBytes(of: floatToHalf(src[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                    }
                }
            }
        }
        return out
    }
}

/// IEEE 754 binary16 → binary32, exact (subnormals, infinities and NaN included).
@inlinable
public func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exp = Int((h >> 10) & 0x1F)
    let mant = UInt32(h & 0x3FF)
    if exp == 0 {
        // Subnormal or zero: value = mant · 2^-24.
        let v = Float(mant) * Float(bitPattern: 0x3380_0000)  // 2^-24
        return sign != 0 ? -v : v
    }
    if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mant << 13)) }
    return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (mant << 13))
}

/// binary32 → binary16 with round-to-nearest-even, overflow to infinity, NaN kept quiet.
@inlinable
public func floatToHalf(_ f: Float) -> UInt16 {
    let x = f.bitPattern
    let sign = UInt16((x >> 16) & 0x8000)
    if f.isNaN { return sign | 0x7E00 }
    let a = abs(f)
    if a >= 65520 { return sign | 0x7C00 }  // rounds to infinity
    if a < Float(bitPattern: 0x3880_0000) {  // below 2^-14: subnormal half
        let m = (a / Float(bitPattern: 0x3380_0000)).rounded(.toNearestOrEven)  // in units of 2^-24
        return sign | UInt16(m)
    }
    let e = Int((a.bitPattern >> 23) & 0xFF) - 127 + 15
    var m = a.bitPattern & 0x7F_FFFF
    var he = UInt32(e)
    // Round the 23-bit mantissa to 10 bits, ties to even.
    let rest = m & 0x1FFF
    m >>= 13
    if rest > 0x1000 || (rest == 0x1000 && (m & 1) == 1) {
        m += 1
        if m == 0x400 { m = 0; he += 1 }
    }
    return sign | UInt16(he << 10) | UInt16(m)
}

/// binary32 → bfloat16 with round-to-nearest-even (PyTorch's conversion), NaN kept quiet.
@inlinable
public func floatToBF16(_ f: Float) -> UInt16 {
    if f.isNaN { return UInt16((f.bitPattern >> 16) | 0x40) }
    let x = f.bitPattern
    let rounding = 0x7FFF + ((x >> 16) & 1)
    return UInt16((x &+ rounding) >> 16)
}
