import Foundation
import ModelCore
import Testing

/// The fused inference convolution against the same steps done one layer at a time.
@Suite struct ConvolutionInferenceTests {
    var random = SeededRandom(seed: 29)

    func separateSteps(_ x: Tensor, _ w: Tensor, _ b: Tensor, _ g: WindowGeometry, _ norm: BatchNorm, maxOverWidth: Bool) -> Tensor {
        var y = Conv2D.forward(input: x, weight: w, bias: b, geometry: g)
        ReLU.apply(&y)
        y = norm.forwardInference(y)
        guard maxOverWidth else { return y }
        let pooled = MaxPool2D.forwardInference(y, geometry: WindowGeometry(kernelHeight: 1, kernelWidth: y.shape[2]))
        return pooled.reshaped([y.shape[0], y.shape[1], y.shape[3]])
    }

    mutating func randomNorm(channels: Int) -> BatchNorm {
        var norm = BatchNorm(channels: channels, epsilon: 0.001)
        // Negative scales too: the maximum must be taken after the affine, not before.
        norm.gamma = Tensor.random([channels], using: &random)
        norm.beta = Tensor.random([channels], using: &random)
        norm.runningMean = Tensor.random([channels], using: &random, scale: 0.2)
        norm.runningVariance = Tensor(shape: [channels], values: (0..<channels).map { 0.5 + Float($0 % 3) })
        return norm
    }

    /// Window sizes on both sides of the small-patch kernel, padding in time, blocks that do not
    /// divide the rows evenly, one and two threads.
    @Test(arguments: [(7, 5, 1, 12, true), (7, 38, 1, 20, true), (64, 1, 1, 9, true), (3, 3, 6, 16, false), (1, 7, 40, 8, false)])
    mutating func matchesTheSeparateLayers(kernelHeight: Int, kernelWidth: Int, inChannels: Int, outChannels: Int, maxOverWidth: Bool) {
        let x = Tensor.random([3, 41, 47, inChannels], using: &random)
        let w = Tensor.random([kernelHeight, kernelWidth, inChannels, outChannels], using: &random, scale: 0.3)
        let b = Tensor.random([outChannels], using: &random)
        let g = WindowGeometry(kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                               padTop: (kernelHeight - 1) / 2, padBottom: kernelHeight / 2)
        let norm = randomNorm(channels: outChannels)
        let expected = separateSteps(x, w, b, g, norm, maxOverWidth: maxOverWidth)
        for threads in [1, 2] {
            let fused = Conv2DInference.forward(input: x, weight: w, bias: b, geometry: g,
                                                epilogue: .reluThen(norm, maxOverWidth: maxOverWidth), threads: threads)
            #expect(fused.shape == expected.shape)
            let worst = zip(fused.values, expected.values).map { abs($0 - $1) / max(1, abs($1)) }.max()!
            #expect(worst < 1e-5, "threads \(threads): \(worst)")
        }
    }

    @Test mutating func withoutAnEpilogueItIsTheConvolution() {
        let x = Tensor.random([2, 9, 10, 4], using: &random)
        let w = Tensor.random([3, 3, 4, 8], using: &random)
        let b = Tensor.random([8], using: &random)
        let g = WindowGeometry.same(kernelHeight: 3, kernelWidth: 3, height: 9, width: 10)
        let plain = Conv2D.forward(input: x, weight: w, bias: b, geometry: g)
        let fused = Conv2DInference.forward(input: x, weight: w, bias: b, geometry: g, threads: 2)
        #expect(fused.shape == plain.shape)
        #expect(zip(fused.values, plain.values).allSatisfy { abs($0 - $1) < 1e-5 })
    }
}
