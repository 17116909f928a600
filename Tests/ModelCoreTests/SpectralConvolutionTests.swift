import Foundation
@testable import ModelCore
import Testing

/// The convolution by FFT along the width against the window-matrix convolution.
@Suite struct SpectralConvolutionTests {
    /// Along the width: musicnn's timbral shape, a width with no radix-3 length, a kernel as wide as
    /// the image (one position). Along the height: musicnn's temporal shapes (TensorFlow's "same"
    /// padding, one more row after), a kernel taller than the image. Channels that do not fill the
    /// last block of eight; ReLU or none; scales of both signs (the minimum stands in for the maximum
    /// where the scale is negative).
    @Test(arguments: [(7, 38, 96, 3, 3, 21, true), (3, 20, 50, 1, 1, 8, true), (1, 17, 17, 0, 0, 5, false), (5, 16, 64, 2, 2, 12, false),
                      (128, 1, 12, 63, 64, 11, true), (32, 1, 9, 15, 16, 8, false), (48, 1, 5, 0, 47, 3, true)])
    func matchesTheWindowedConvolution(taps: Int, kernelWidth: Int, width: Int, padTop: Int, padBottom: Int, channels: Int,
                                       relu: Bool) {
        var random = SeededRandom(seed: UInt64(taps * kernelWidth))
        let input = Tensor.random([3, 23, width, 1], using: &random)
        let weight = Tensor.random([taps, kernelWidth, 1, channels], using: &random, scale: 0.2)
        let parameters = Tensor.random([3 * channels], using: &random).values
        let geometry = WindowGeometry(kernelHeight: taps, kernelWidth: kernelWidth, padTop: padTop, padBottom: padBottom)
        let epilogue = ConvolutionEpilogue(relu: relu, scale: Array(parameters[channels..<(2 * channels)]),
                                           shift: Array(parameters[(2 * channels)...]), pooling: .maxOverWidth)
        #expect(SpectralConvolution.handles(input: input, geometry: geometry, pooling: .maxOverWidth))
        let expected = parameters.withUnsafeBufferPointer {
            Conv2DInference.windowed(input: input, weight: weight, parameters: $0.baseAddress!, geometry: geometry,
                                     epilogue: epilogue, threads: 1)
        }
        for threads in [1, 2] {
            let spectral = parameters.withUnsafeBufferPointer {
                SpectralConvolution.forward(input: input, weight: weight, parameters: $0.baseAddress!, relu: relu,
                                            geometry: geometry, threads: threads)
            }
            #expect(spectral.shape == expected.shape)
            let worst = zip(spectral.values, expected.values).map { abs($0 - $1) / max(1, abs($1)) }.max()!
            #expect(worst < 1e-5, "threads \(threads): \(worst)")
        }
    }

    @Test func leavesOtherShapesToTheWindowedConvolution() {
        let oneChannel = Tensor(zeros: [1, 10, 96, 1])
        let wide = WindowGeometry(kernelHeight: 7, kernelWidth: 38)
        #expect(!SpectralConvolution.handles(input: Tensor(zeros: [1, 10, 96, 2]), geometry: wide, pooling: .maxOverWidth))
        #expect(!SpectralConvolution.handles(input: oneChannel, geometry: wide, pooling: .none))
        #expect(!SpectralConvolution.handles(input: oneChannel, geometry: WindowGeometry(kernelHeight: 7, kernelWidth: 5),
                                             pooling: .maxOverWidth))
        #expect(!SpectralConvolution.handles(input: oneChannel, geometry: WindowGeometry(kernelHeight: 16, kernelWidth: 1),
                                             pooling: .maxOverWidth))
        #expect(!SpectralConvolution.handles(input: oneChannel, geometry: WindowGeometry(kernelHeight: 7, kernelWidth: 38, strideWidth: 2),
                                             pooling: .maxOverWidth))
        #expect(!SpectralConvolution.handles(input: oneChannel, geometry: WindowGeometry(kernelHeight: 7, kernelWidth: 38, padLeft: 1),
                                             pooling: .maxOverWidth))
    }
}
