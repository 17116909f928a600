import Foundation
import ModelCore
import Testing

/// The fused inference convolution against the same steps done one layer at a time.
@Suite struct ConvolutionInferenceTests {
    var random = SeededRandom(seed: 29)

    func separateSteps(_ x: Tensor, _ w: Tensor, _ b: Tensor, _ g: WindowGeometry, _ norm: BatchNorm,
                       pooling: ConvolutionEpilogue.Pooling) -> Tensor {
        var y = Conv2D.forward(input: x, weight: w, bias: b, geometry: g)
        ReLU.apply(&y)
        y = norm.forwardInference(y)
        switch pooling {
        case .none:
            return y
        case .max(let height, let width):
            return MaxPool2D.forwardInference(y, geometry: WindowGeometry(kernelHeight: height, kernelWidth: width,
                                                                          strideHeight: height, strideWidth: width))
        case .maxOverWidth:
            let pooled = MaxPool2D.forwardInference(y, geometry: WindowGeometry(kernelHeight: 1, kernelWidth: y.shape[2]))
            return pooled.reshaped([y.shape[0], y.shape[1], y.shape[3]])
        }
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

    /// Window sizes on both sides of the small-patch kernel, padding in time, every pooling (windows
    /// that do not divide the output dropped), blocks that do not divide the rows evenly, one and
    /// two threads.
    @Test(arguments: [(7, 5, 1, 12, ConvolutionEpilogue.Pooling.maxOverWidth), (7, 38, 1, 20, .maxOverWidth),
                      (64, 1, 1, 9, .maxOverWidth), (3, 3, 6, 16, .none), (1, 7, 40, 8, .none), (3, 3, 1, 32, .max(height: 2, width: 2)),
                      (3, 3, 5, 24, .max(height: 2, width: 2)), (1, 3, 16, 16, .max(height: 1, width: 3))])
    mutating func matchesTheSeparateLayers(kernelHeight: Int, kernelWidth: Int, inChannels: Int, outChannels: Int,
                                           pooling: ConvolutionEpilogue.Pooling) {
        let x = Tensor.random([3, 41, 47, inChannels], using: &random)
        let w = Tensor.random([kernelHeight, kernelWidth, inChannels, outChannels], using: &random, scale: 0.3)
        let b = Tensor.random([outChannels], using: &random)
        let g = WindowGeometry(kernelHeight: kernelHeight, kernelWidth: kernelWidth,
                               padTop: (kernelHeight - 1) / 2, padBottom: kernelHeight / 2)
        let norm = randomNorm(channels: outChannels)
        let expected = separateSteps(x, w, b, g, norm, pooling: pooling)
        for threads in [1, 2] {
            let fused = Conv2DInference.forward(input: x, weight: w, bias: b, geometry: g,
                                                epilogue: .reluThen(norm, pooling: pooling), threads: threads)
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

    /// A long 1-D signal (SampleCNN's shape): each row is cut into several blocks of whole
    /// pooling windows, the last one partial.
    @Test mutating func longRowsAreSplitAtPoolingWindows() {
        let x = Tensor.random([2, 1, 3_001, 48], using: &random)
        let w = Tensor.random([1, 3, 48, 16], using: &random, scale: 0.2)
        let b = Tensor.random([16], using: &random)
        let g = Conv1D.geometry(kernel: 3, padBefore: 1, padAfter: 1)
        let norm = randomNorm(channels: 16)
        let expected = separateSteps(x, w, b, g, norm, pooling: .max(height: 1, width: 3))
        let fused = Conv2DInference.forward(input: x, weight: w, bias: b, geometry: g,
                                            epilogue: .reluThen(norm, pooling: .max(height: 1, width: 3)), threads: 2)
        #expect(fused.shape == [2, 1, 1_000, 16])
        #expect(zip(fused.values, expected.values).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
    }
}
