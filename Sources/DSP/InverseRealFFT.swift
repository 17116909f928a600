import Foundation

/// Inverse DFTs of eight real signals at once, one per SIMD8 lane, so every butterfly is a vector
/// operation with no shuffles (`RealFFT`'s counterpart, for any length 2·2ᵃ or 2·3·2ᵃ).
///
/// Length N = 2M with M = 2ᵃ or 3·2ᵃ (`length(atLeast:)` picks the shortest that fits). The half
/// spectrum (bins 0…M; the rest follows by symmetry) is packed into one M-point complex sequence
/// whose inverse FFT holds the even samples in its real parts and the odd samples in its imaginary
/// parts (the usual real-FFT split), so the work is one M-point complex FFT: a radix-3 pass when 3
/// divides M, then radix-2 passes, two at a time. Unnormalised: the samples come out N times the
/// inverse DFT.
public struct InverseRealFFT: Sendable {
    public let length: Int
    /// M: the samples come out in two halves of M (see `transform`).
    public let half: Int
    /// e^{2πik/N} for k < M: the split's twiddles.
    private let splitTwiddles: [Twiddle]
    /// e^{2πij/M} for j < M/2: the butterflies' twiddles.
    private let butterflyTwiddles: [Twiddle]
    /// Where packed bin k goes so that the in-place passes leave the samples in natural order.
    private let placement: [Int]
    private let hasRadix3: Bool

    /// The shortest supported length of at least `minimum` samples.
    public static func length(atLeast minimum: Int) -> Int {
        var power = 2
        while 2 * power < minimum && 3 * power < minimum { power *= 2 }
        return 2 * power >= minimum ? 2 * power : 3 * power
    }

    public init(length: Int) {
        let half = length / 2
        let hasRadix3 = half % 3 == 0
        let powerOfTwo = hasRadix3 ? half / 3 : half
        precondition(length % 2 == 0 && half >= 2 && powerOfTwo & (powerOfTwo - 1) == 0,
                     "length must be 2·2ᵃ or 2·3·2ᵃ, at least 4")
        self.length = length
        self.half = half
        self.hasRadix3 = hasRadix3
        func unitRoot(_ numerator: Int, _ denominator: Int) -> Twiddle {
            let angle = 2 * Double.pi * Double(numerator) / Double(denominator)
            return Twiddle(cosine: Float(cos(angle)), sine: Float(sin(angle)))
        }
        splitTwiddles = (0..<half).map { unitRoot($0, length) }
        butterflyTwiddles = (0..<(half / 2)).map { unitRoot($0, half) }
        // Decimation in time down to the three-point transforms of every 2ᵃ-th value: bin b + 2ᵃ·t
        // (b < 2ᵃ, t < 3) goes to triple bitreverse(b), place t.
        let bits = powerOfTwo.trailingZeroBitCount
        let radix = hasRadix3 ? 3 : 1
        placement = (0..<half).map { index in
            let (low, high) = (index % powerOfTwo, index / powerOfTwo)
            let reversed = (0..<bits).reduce(0) { reversed, bit in reversed | ((low >> bit) & 1) << (bits - 1 - bit) }
            return reversed * radix + high
        }
    }

    /// Samples of the signals whose bins 0…M are `real[k]`, `imaginary[k]`: afterwards `work[n]` holds
    /// sample 2n and `work[M + n]` sample 2n + 1 (N times the inverse DFT). `work` holds N vectors.
    public func transform(real: UnsafePointer<SIMD8<Float>>, imaginary: UnsafePointer<SIMD8<Float>>,
                   work: UnsafeMutablePointer<SIMD8<Float>>) {
        let half = self.half
        let (zr, zi) = (work, work + half)
        splitTwiddles.withUnsafeBufferPointer { twiddles in
            placement.withUnsafeBufferPointer { placement in
                // Z_k = (Y_k + conj Y_{M−k}) + i·e^{2πik/N}·(Y_k − conj Y_{M−k}).
                for k in 0..<half {
                    let (yr, yi, mr, mi) = (real[k], imaginary[k], real[half - k], imaginary[half - k])
                    let (sumR, sumI) = (yr + mr, yi - mi)
                    let (rotatedR, rotatedI) = twiddles[k].rotate(yr - mr, yi + mi)
                    let target = placement[k]
                    zr[target] = sumR - rotatedI
                    zi[target] = sumI + rotatedR
                }
            }
        }
        var span = 1
        if hasRadix3 {
            threePointPass(zr, zi)
            span = 3
        }
        butterflyTwiddles.withUnsafeBufferPointer { twiddles in
            if (half / span).trailingZeroBitCount % 2 == 1 {
                // An odd number of radix-2 passes: the first alone.
                let stride = half / (2 * span)
                for start in Swift.stride(from: 0, to: half, by: 2 * span) {
                    for offset in 0..<span {
                        let (top, bottom) = (start + offset, start + offset + span)
                        let (br, bi) = twiddles[offset * stride].rotate(zr[bottom], zi[bottom])
                        let (ar, ai) = (zr[top], zi[top])
                        (zr[top], zi[top], zr[bottom], zi[bottom]) = (ar + br, ai + bi, ar - br, ai - bi)
                    }
                }
                span *= 2
            }
            // The rest two passes at a time (radix 2²): four values loaded and stored once per two
            // passes. Pass one pairs values `span` apart with twiddle w₁ = e^{iπo/span}; pass two pairs
            // them 2·span apart with w₂ = e^{iπo/(2·span)} and, for the odd half, i·w₂.
            while span < half {
                let (firstStride, secondStride) = (half / (2 * span), half / (4 * span))
                for start in Swift.stride(from: 0, to: half, by: 4 * span) {
                    for offset in 0..<span {
                        let (w1, w2) = (twiddles[offset * firstStride], twiddles[offset * secondStride])
                        let (i0, i1, i2, i3) = (start + offset, start + offset + span, start + offset + 2 * span,
                                                start + offset + 3 * span)
                        let (a0r, a0i) = (zr[i0], zi[i0])
                        let (a1r, a1i) = w1.rotate(zr[i1], zi[i1])
                        let (a2r, a2i) = (zr[i2], zi[i2])
                        let (a3r, a3i) = w1.rotate(zr[i3], zi[i3])
                        let (b2r, b2i) = w2.rotate(a2r + a3r, a2i + a3i)
                        let (b3r, b3i) = w2.rotate(a2r - a3r, a2i - a3i)
                        let (b0r, b0i, b1r, b1i) = (a0r + a1r, a0i + a1i, a0r - a1r, a0i - a1i)
                        (zr[i0], zi[i0], zr[i2], zi[i2]) = (b0r + b2r, b0i + b2i, b0r - b2r, b0i - b2i)
                        // i·(b3r + i·b3i) = −b3i + i·b3r.
                        (zr[i1], zi[i1], zr[i3], zi[i3]) = (b1r - b3i, b1i + b3r, b1r + b3i, b1i - b3r)
                    }
                }
                span *= 4
            }
        }
    }

    /// Inverse three-point DFTs of consecutive triples: with ω = e^{2πi/3} = −½ + i·√3/2,
    /// (a + b + c, a + ωb + ω²c, a + ω²b + ωc).
    private func threePointPass(_ zr: UnsafeMutablePointer<SIMD8<Float>>, _ zi: UnsafeMutablePointer<SIMD8<Float>>) {
        let rootThreeHalves = SIMD8<Float>(repeating: Float(3.0.squareRoot() / 2))
        for start in stride(from: 0, to: half, by: 3) {
            let (ar, ai) = (zr[start], zi[start])
            let (sumR, sumI) = (zr[start + 1] + zr[start + 2], zi[start + 1] + zi[start + 2])
            let (differenceR, differenceI) = (zr[start + 1] - zr[start + 2], zi[start + 1] - zi[start + 2])
            let (middleR, middleI) = (ar - 0.5 * sumR, ai - 0.5 * sumI)
            // i·(√3/2)·(b − c).
            let (turnedR, turnedI) = (-rootThreeHalves * differenceI, rootThreeHalves * differenceR)
            (zr[start], zi[start]) = (ar + sumR, ai + sumI)
            (zr[start + 1], zi[start + 1]) = (middleR + turnedR, middleI + turnedI)
            (zr[start + 2], zi[start + 2]) = (middleR - turnedR, middleI - turnedI)
        }
    }
}

/// A unit complex number e^{iθ}, kept with −sin θ so that a rotation is two products and two fused
/// multiply-adds.
private struct Twiddle {
    let cosine, sine, negatedSine: Float

    init(cosine: Float, sine: Float) {
        (self.cosine, self.sine, negatedSine) = (cosine, sine, -sine)
    }

    /// (real + i·imaginary)·e^{iθ}, lane by lane.
    @inline(__always)
    func rotate(_ real: SIMD8<Float>, _ imaginary: SIMD8<Float>) -> (SIMD8<Float>, SIMD8<Float>) {
        let (c, s, n) = (SIMD8(repeating: cosine), SIMD8(repeating: sine), SIMD8(repeating: negatedSine))
        return ((real * c).addingProduct(imaginary, n), (imaginary * c).addingProduct(real, s))
    }
}
