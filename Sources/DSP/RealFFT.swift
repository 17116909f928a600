/// Power spectra of real frames by FFT, eight frames at a time.
///
/// Each SIMD lane holds a different frame, so every butterfly of every stage is a full
/// vector operation, whatever its stride, and no shuffles are needed. A real frame of
/// N samples is transformed as a complex frame of N/2 samples (even samples as real
/// parts, odd as imaginary) followed by the usual split step.
public struct RealFFT: Sendable {
    public typealias Lanes = SIMD8<Float>
    public static let laneCount = 8

    public let size: Int
    /// Complex transform size, N/2.
    let complexSize: Int
    let bitReversed: [Int]
    /// Twiddles of all radix-2 stages, stage after stage: cos and −sin of 2πj/span.
    let stageCos: [Float]
    let stageSin: [Float]
    /// cos and sin of 2πk/N for the split step, k = 0…N/2.
    let splitCos: [Float]
    let splitSin: [Float]

    public init(size: Int) {
        precondition(size >= 4 && size & (size - 1) == 0, "FFT size must be a power of two ≥ 4, got \(size)")
        self.size = size
        complexSize = size / 2
        let bits = complexSize.trailingZeroBitCount
        bitReversed = (0..<complexSize).map { index in
            var reversed = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { reversed |= 1 << (bits - 1 - bit) }
            return reversed
        }
        var cosines: [Float] = []
        var sines: [Float] = []
        var span = 1
        while span < complexSize {
            for j in 0..<span {
                let angle = -Double.pi * Double(j) / Double(span)
                cosines.append(Float(_cos(angle)))
                sines.append(Float(_sin(angle)))
            }
            span *= 2
        }
        stageCos = cosines
        stageSin = sines
        splitCos = (0...complexSize).map { Float(_cos(2 * Double.pi * Double($0) / Double(size))) }
        splitSin = (0...complexSize).map { Float(_sin(2 * Double.pi * Double($0) / Double(size))) }
    }

    /// Number of output bins, N/2 + 1.
    public var binCount: Int { complexSize + 1 }

    /// Workspace the transform needs, in lanes: real and imaginary halves.
    public var workspaceCount: Int { 2 * complexSize }

    /// |X_k|^exponent for k = 0…N/2 of up to eight frames, each multiplied by `window` first.
    ///
    /// - Parameters:
    ///   - frames: one pointer per lane to `size` samples; missing lanes are computed on zeros.
    ///   - window: `size` coefficients.
    ///   - workspace: `workspaceCount` lanes of scratch.
    ///   - output: `binCount` lanes; lane l of output[k] is bin k of frame l.
    ///   - magnitude: true for |X| (power 1), false for |X|² (power 2).
    public func spectrum(frames: [UnsafePointer<Float>], window: UnsafePointer<Float>,
                         workspace: UnsafeMutablePointer<Lanes>, output: UnsafeMutablePointer<Lanes>,
                         magnitude: Bool = false) {
        let half = complexSize
        let real = workspace
        let imaginary = workspace + half
        load(frames: frames, window: window, real: real, imaginary: imaginary)
        transform(real: real, imaginary: imaginary)
        split(real: real, imaginary: imaginary, output: output, magnitude: magnitude)
    }

    /// Windowed even/odd samples into bit-reversed complex positions.
    private func load(frames: [UnsafePointer<Float>], window: UnsafePointer<Float>,
                      real: UnsafeMutablePointer<Lanes>, imaginary: UnsafeMutablePointer<Lanes>) {
        let lanes = frames.count
        for n in 0..<complexSize {
            var even = Lanes.zero
            var odd = Lanes.zero
            for lane in 0..<lanes {
                even[lane] = frames[lane][2 * n]
                odd[lane] = frames[lane][2 * n + 1]
            }
            let target = bitReversed[n]
            real[target] = even * window[2 * n]
            imaginary[target] = odd * window[2 * n + 1]
        }
    }

    /// In-place iterative radix-2 decimation-in-time transform of bit-reversed input.
    private func transform(real: UnsafeMutablePointer<Lanes>, imaginary: UnsafeMutablePointer<Lanes>) {
        let count = complexSize
        // Span 1: the twiddle is 1.
        var a = 0
        while a < count {
            let (ar, ai, br, bi) = (real[a], imaginary[a], real[a + 1], imaginary[a + 1])
            real[a] = ar + br
            imaginary[a] = ai + bi
            real[a + 1] = ar - br
            imaginary[a + 1] = ai - bi
            a += 2
        }
        var span = 2
        var twiddle = 1
        stageCos.withUnsafeBufferPointer { cosines in
            stageSin.withUnsafeBufferPointer { sines in
                while span < count {
                    let step = 2 * span
                    for j in 0..<span {
                        let wr = Lanes(repeating: cosines[twiddle + j])
                        let wi = Lanes(repeating: sines[twiddle + j])
                        var top = j
                        while top < count {
                            let bottom = top + span
                            let (br, bi) = (real[bottom], imaginary[bottom])
                            let tr = br * wr - bi * wi
                            let ti = br * wi + bi * wr
                            let (ar, ai) = (real[top], imaginary[top])
                            real[bottom] = ar - tr
                            imaginary[bottom] = ai - ti
                            real[top] = ar + tr
                            imaginary[top] = ai + ti
                            top += step
                        }
                    }
                    twiddle += span
                    span = step
                }
            }
        }
    }

    /// From the N/2-point complex transform Z to the N-point real spectrum X:
    /// X_k = E_k + W^k O_k with E_k = (Z_k + Z*_{M−k})/2, O_k = (Z_k − Z*_{M−k})/2i, W = e^{−2πi/N}.
    private func split(real: UnsafeMutablePointer<Lanes>, imaginary: UnsafeMutablePointer<Lanes>,
                       output: UnsafeMutablePointer<Lanes>, magnitude: Bool) {
        let count = complexSize
        let halfLane = Lanes(repeating: 0.5)
        splitCos.withUnsafeBufferPointer { cosines in
            splitSin.withUnsafeBufferPointer { sines in
                for k in 0...count {
                    let index = k == count ? 0 : k
                    let mirror = k == 0 ? 0 : count - k
                    let (zr, zi) = (real[index], imaginary[index])
                    let (mr, mi) = (real[mirror], -imaginary[mirror])
                    let evenReal = (zr + mr) * halfLane
                    let evenImaginary = (zi + mi) * halfLane
                    let oddReal = (zi - mi) * halfLane
                    let oddImaginary = (mr - zr) * halfLane
                    let c = Lanes(repeating: cosines[k])
                    let s = Lanes(repeating: sines[k])
                    let xr = evenReal + c * oddReal + s * oddImaginary
                    let xi = evenImaginary + c * oddImaginary - s * oddReal
                    let power = xr * xr + xi * xi
                    output[k] = magnitude ? power.squareRoot() : power
                }
            }
        }
    }
}

// Foundation-free cos/sin for table building (Glibc on Linux).
#if canImport(Glibc)
import Glibc
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#endif
