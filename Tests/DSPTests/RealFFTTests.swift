import DSP
import Foundation
import Testing
import TestSupport

@Suite struct RealFFTTests {
    /// |DFT|² in double precision, the definition itself.
    func referencePower(_ frame: [Float]) -> [Double] {
        let size = frame.count
        return (0...(size / 2)).map { k in
            var real = 0.0
            var imaginary = 0.0
            for (n, sample) in frame.enumerated() {
                let angle = -2 * Double.pi * Double(k * n) / Double(size)
                real += Double(sample) * cos(angle)
                imaginary += Double(sample) * sin(angle)
            }
            return real * real + imaginary * imaginary
        }
    }

    @Test(arguments: [8, 64, 512, 1024])
    func matchesTheDefinitionForEveryLane(size: Int) {
        let fft = RealFFT(size: size)
        let frames = (0..<5).map { Signals.noise(seconds: Double(size), rate: 1, amplitude: 1, seed: UInt64($0 + 1)) }
        let window = [Float](repeating: 1, count: size)
        var workspace = [RealFFT.Lanes](repeating: .zero, count: fft.workspaceCount)
        var output = [RealFFT.Lanes](repeating: .zero, count: fft.binCount)
        frames[0].withUnsafeBufferPointer { f0 in
        frames[1].withUnsafeBufferPointer { f1 in
        frames[2].withUnsafeBufferPointer { f2 in
        frames[3].withUnsafeBufferPointer { f3 in
        frames[4].withUnsafeBufferPointer { f4 in
            let pointers = [f0, f1, f2, f3, f4].map { $0.baseAddress! }
            fft.spectrum(frames: pointers, window: window, workspace: &workspace, output: &output)
        }}}}}
        for lane in 0..<frames.count {
            let expected = referencePower(frames[lane])
            let peak = expected.max()!
            for k in 0...(size / 2) {
                #expect(abs(Double(output[k][lane]) - expected[k]) <= 2e-6 * peak, "bin \(k) lane \(lane)")
            }
        }
        // Lanes without a frame stay zero.
        #expect(output.allSatisfy { $0[7] == 0 })
    }
}
