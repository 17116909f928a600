import DSP
import Foundation
import Testing

/// The lane-wise inverse real FFT against the inverse DFT written out.
@Suite struct InverseRealFFTTests {
    @Test(arguments: [(1, 4), (4, 4), (5, 6), (7, 8), (9, 12), (47, 48), (96, 96), (97, 128), (129, 192)])
    func picksTheShortestSupportedLength(minimum: Int, length: Int) {
        #expect(InverseRealFFT.length(atLeast: minimum) == length)
    }

    /// Eight different real signals, one per lane: their half spectra go in, N times the signals come
    /// out, even samples first. Powers of two with an odd and an even number of radix-2 passes, and
    /// lengths with a radix-3 pass.
    @Test(arguments: [4, 6, 8, 12, 16, 24, 48, 96, 128])
    func recoversTheSignals(length: Int) {
        let half = length / 2
        // Eight unrelated, reproducible signals.
        let signals = (0..<8).map { lane in (0..<length).map { n in sin(Double(n * 7_919 + lane * 104_729 + length)) } }
        var real = [SIMD8<Float>](repeating: .zero, count: half + 1)
        var imaginary = real
        for (lane, signal) in signals.enumerated() {
            for bin in 0...half {
                var (re, im) = (0.0, 0.0)
                for (n, value) in signal.enumerated() {
                    let angle = -2 * Double.pi * Double(bin * n % length) / Double(length)
                    re += value * cos(angle)
                    im += value * sin(angle)
                }
                (real[bin][lane], imaginary[bin][lane]) = (Float(re), Float(im))
            }
        }
        var work = [SIMD8<Float>](repeating: .zero, count: length)
        let fft = InverseRealFFT(length: length)
        real.withUnsafeBufferPointer { real in
            imaginary.withUnsafeBufferPointer { imaginary in
                work.withUnsafeMutableBufferPointer { work in
                    fft.transform(real: real.baseAddress!, imaginary: imaginary.baseAddress!, work: work.baseAddress!)
                }
            }
        }
        var worst = 0.0
        for (lane, signal) in signals.enumerated() {
            for (n, value) in signal.enumerated() {
                let sample = work[n % 2 == 0 ? n / 2 : half + n / 2][lane]
                worst = max(worst, abs(Double(sample) / Double(length) - value))
            }
        }
        #expect(worst < 1e-5, "length \(length): \(worst)")
    }
}
