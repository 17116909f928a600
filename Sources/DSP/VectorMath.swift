/// Small vector kernels written so the optimiser emits SIMD code without a library call.

/// Σ a[i]·b[i] over `count` elements, with eight-lane accumulators.
@inlinable
public func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var sum0 = SIMD8<Float>.zero
    var sum1 = SIMD8<Float>.zero
    var index = 0
    let rawA = UnsafeRawPointer(a)
    let rawB = UnsafeRawPointer(b)
    let stride = MemoryLayout<Float>.stride
    while index + 16 <= count {
        sum0 += rawA.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            * rawB.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
        sum1 += rawA.loadUnaligned(fromByteOffset: (index + 8) * stride, as: SIMD8<Float>.self)
            * rawB.loadUnaligned(fromByteOffset: (index + 8) * stride, as: SIMD8<Float>.self)
        index += 16
    }
    if index + 8 <= count {
        sum0 += rawA.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
            * rawB.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
        index += 8
    }
    var total = (sum0 + sum1).sum()
    while index < count {
        total += a[index] * b[index]
        index += 1
    }
    return total
}

/// Greatest common divisor of two non-negative integers.
public func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x
}
