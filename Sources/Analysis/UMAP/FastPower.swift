/// xᵖ for eight x ≥ 0 at once, to a few 1e-6 relative error, several times faster than `powf`.
///
/// The layout evaluates six powers per sampled edge; libm's exactly rounded powf took a third of its
/// time, far more accuracy than a stochastic gradient can use. log2 x comes from the float's exponent
/// plus a series in its mantissa, 2ʸ from an integer exponent times a polynomial. x is taken as at
/// least 2⁻⁴⁰ and at most 2⁴⁰ (zero included), so for |p| ≤ 3 the result stays a normal float.
///
/// Everything is written in operations that map to single vector instructions: the generic SIMD
/// `rounded`, `replace(with:where:)` and `clamped` go lane by lane, and any one of them took the whole
/// computation out of 256-bit registers.
@inline(__always)
func fastPower(_ x: SIMD8<Float>, _ p: Float) -> SIMD8<Float> {
    fastExp2(p * fastLog2(boundedMagnitude(x)))
}

/// x ≥ 0 moved into [2⁻⁴⁰, 2⁴⁰] by integer minimum and maximum: non-negative floats order as their bits do.
@inline(__always)
func boundedMagnitude(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
    let low = SIMD8<Int32>(repeating: Int32(bitPattern: Float(0x1p-40).bitPattern))
    let high = SIMD8<Int32>(repeating: Int32(bitPattern: Float(0x1p40).bitPattern))
    let overHigh = bits &- high
    let capped = high &+ (overHigh & (overHigh &>> 31))
    let overLow = capped &- low
    return unsafeBitCast(capped &- (overLow & (overLow &>> 31)), to: SIMD8<Float>.self)
}

@inline(__always)
func fastLog2(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let bits = unsafeBitCast(x, to: SIMD8<Int32>.self)
    // The exponent field e as a float: 2²³ + e read back from its bits, minus 2²³ + 127. (Swift's
    // generic SIMD int↔float conversions go lane by lane; these bit tricks stay in vector registers.)
    let exponent = unsafeBitCast((bits &>> 23) & 0xFF | 0x4B00_0000, to: SIMD8<Float>.self) - (8_388_608 + 127)
    // Mantissa m in [1, 2); log2 m = (2/ln 2)·atanh(s) with s = (m − 1)/(m + 1), as a series in s².
    let mantissa = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: SIMD8<Float>.self)
    let s = (mantissa - 1) / (mantissa + 1), s2 = s * s
    var series = SIMD8<Float>(repeating: 0.320_598_90)
    for coefficient: Float in [0.412_198_57, 0.577_078_02, 0.961_796_69, 2.885_390_08] {
        series = SIMD8(repeating: coefficient).addingProduct(series, s2)
    }
    return exponent.addingProduct(s, series)
}

/// 2ʸ for |y| ≤ 126.
@inline(__always)
func fastExp2(_ y: SIMD8<Float>) -> SIMD8<Float> {
    // Adding 1.5·2²³ + 127 rounds y to the nearest whole n and leaves n + 127, the biased exponent of
    // 2ⁿ, in the low mantissa bits; the fraction f = y − n is then in [−½, ½].
    let shifted = y + (12_582_912 + 127)
    let whole = shifted - (12_582_912 + 127)
    let scale = unsafeBitCast((unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000) &<< 23, to: SIMD8<Float>.self)
    // 2^f = e^(f ln 2): Taylor series to degree 7.
    let t = (y - whole) * 0.693_147_18
    var power = SIMD8<Float>(repeating: 0.000_198_41)
    for coefficient: Float in [0.001_388_89, 0.008_333_33, 0.041_666_67, 0.166_666_67, 0.5, 1, 1] {
        power = SIMD8(repeating: coefficient).addingProduct(power, t)
    }
    return scale * power
}
