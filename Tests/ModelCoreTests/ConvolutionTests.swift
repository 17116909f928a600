import Foundation
import ModelCore
import Testing

@Suite struct ConvolutionTests {
    var random = SeededRandom(seed: 11)

    /// The definition, one output value at a time.
    func directConv2D(_ x: Tensor, _ w: Tensor, _ b: Tensor, _ g: WindowGeometry) -> Tensor {
        let (n, h, wd, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let cout = w.shape[3]
        let (oh, ow) = (g.outputHeight(h), g.outputWidth(wd))
        var y = Tensor(zeros: [n, oh, ow, cout])
        for b0 in 0..<n { for i in 0..<oh { for j in 0..<ow { for o in 0..<cout {
            var sum = Double(b.values[o])
            for ki in 0..<g.kernelHeight { for kj in 0..<g.kernelWidth {
                let (r, c) = (i * g.strideHeight - g.padTop + ki * g.dilationHeight, j * g.strideWidth - g.padLeft + kj * g.dilationWidth)
                guard r >= 0, r < h, c >= 0, c < wd else { continue }
                for ci in 0..<cin {
                    sum += Double(x.values[((b0 * h + r) * wd + c) * cin + ci]) * Double(w.values[((ki * g.kernelWidth + kj) * cin + ci) * cout + o])
                }
            }}
            y.values[((b0 * oh + i) * ow + j) * cout + o] = Float(sum)
        }}}}
        return y
    }

    let geometry = WindowGeometry(kernelHeight: 3, kernelWidth: 2, strideHeight: 1, strideWidth: 2,
                                  dilationHeight: 2, dilationWidth: 1, padTop: 1, padBottom: 2, padLeft: 0, padRight: 1)

    @Test mutating func conv2DForwardMatchesTheDefinition() {
        let x = Tensor.random([2, 7, 6, 3], using: &random)
        let w = Tensor.random([3, 2, 3, 4], using: &random)
        let b = Tensor.random([4], using: &random)
        let ours = Conv2D.forward(input: x, weight: w, bias: b, geometry: geometry)
        let reference = directConv2D(x, w, b, geometry)
        #expect(ours.shape == reference.shape)
        #expect(zip(ours.values, reference.values).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test mutating func conv2DGradientsMatchFiniteDifferences() {
        let x = Tensor.random([2, 7, 6, 3], using: &random)
        let w = Tensor.random([3, 2, 3, 4], using: &random)
        let b = Tensor.random([4], using: &random)
        let r = Tensor.random(Conv2D.forward(input: x, weight: w, bias: b, geometry: geometry).shape, using: &random)
        let g = Conv2D.backward(outputGradient: r, input: x, weight: w, geometry: geometry)
        let geometry = self.geometry
        #expect(gradientError(of: x, analytic: g.input) { weightedSum(Conv2D.forward(input: $0, weight: w, bias: b, geometry: geometry), r) } < 1e-3)
        #expect(gradientError(of: w, analytic: g.weight) { weightedSum(Conv2D.forward(input: x, weight: $0, bias: b, geometry: geometry), r) } < 1e-3)
        #expect(gradientError(of: b, analytic: g.bias) { weightedSum(Conv2D.forward(input: x, weight: w, bias: $0, geometry: geometry), r) } < 1e-3)
    }

    @Test mutating func conv1DIsAHeightOneConv2D() {
        let x = Tensor.random([3, 20, 4], using: &random)
        let w = Tensor.random([5, 4, 6], using: &random)
        let b = Tensor.random([6], using: &random)
        let geometry = Conv1D.geometry(kernel: 5, stride: 2, dilation: 2, padBefore: 3, padAfter: 1)
        let y = Conv1D.forward(input: x, weight: w, bias: b, geometry: geometry)
        #expect(y.shape == [3, (20 + 4 - 8 - 1) / 2 + 1, 6])
        let r = Tensor.random(y.shape, using: &random)
        let g = Conv1D.backward(outputGradient: r, input: x, weight: w, geometry: geometry)
        #expect(gradientError(of: x, analytic: g.input) { weightedSum(Conv1D.forward(input: $0, weight: w, bias: b, geometry: geometry), r) } < 1e-3)
        #expect(gradientError(of: w, analytic: g.weight) { weightedSum(Conv1D.forward(input: x, weight: $0, bias: b, geometry: geometry), r) } < 1e-3)
    }

    @Test(arguments: [(10, 4, 3, 4, 1, 2), (10, 3, 1, 10, 1, 1), (9, 2, 2, 5, 0, 1), (5, 7, 1, 5, 3, 3), (96, 38, 1, 96, 18, 19)])
    func tensorFlowSamePadding(size: Int, kernel: Int, stride: Int, output: Int, before: Int, after: Int) {
        let g = WindowGeometry.same(kernelHeight: kernel, kernelWidth: 1, strideHeight: stride, height: size, width: 1)
        #expect(g.outputHeight(size) == output)
        #expect(g.padTop == before)
        #expect(g.padBottom == after)
    }
}

@Suite struct LayerGradientTests {
    var random = SeededRandom(seed: 5)

    @Test mutating func linear() {
        let x = Tensor.random([4, 7], using: &random)
        let w = Tensor.random([7, 3], using: &random)
        let b = Tensor.random([3], using: &random)
        let r = Tensor.random([4, 3], using: &random)
        let g = Linear.backward(outputGradient: r, input: x, weight: w)
        #expect(gradientError(of: x, analytic: g.input) { weightedSum(Linear.forward(input: $0, weight: w, bias: b), r) } < 1e-3)
        #expect(gradientError(of: w, analytic: g.weight) { weightedSum(Linear.forward(input: x, weight: $0, bias: b), r) } < 1e-3)
        #expect(gradientError(of: b, analytic: g.bias) { weightedSum(Linear.forward(input: x, weight: w, bias: $0), r) } < 1e-3)
    }

    @Test mutating func batchNormTraining() {
        var layer = BatchNorm(channels: 3)
        layer.gamma = Tensor.random([3], using: &random)
        layer.beta = Tensor.random([3], using: &random)
        let x = Tensor.random([4, 5, 3], using: &random, scale: 2)
        let r = Tensor.random(x.shape, using: &random)
        var copy = layer
        let (_, cache) = copy.forwardTraining(x)
        let g = layer.backward(outputGradient: r, cache: cache)
        func loss(_ layer: BatchNorm, _ x: Tensor) -> Double {
            var layer = layer
            return weightedSum(layer.forwardTraining(x).output, r)
        }
        #expect(gradientError(of: x, analytic: g.input, epsilon: 1e-2) { loss(layer, $0) } < 2e-3)
        #expect(gradientError(of: layer.gamma, analytic: g.gamma) { var l = layer; l.gamma = $0; return loss(l, x) } < 1e-3)
        #expect(gradientError(of: layer.beta, analytic: g.beta) { var l = layer; l.beta = $0; return loss(l, x) } < 1e-3)
    }

    @Test mutating func batchNormStatisticsAndInference() {
        var layer = BatchNorm(channels: 2, epsilon: 1e-3, momentum: 1)
        let x = Tensor(shape: [4, 2], values: [1, 10, 2, 20, 3, 30, 4, 40])
        let (y, _) = layer.forwardTraining(x)
        #expect(abs(y.values[0] + y.values[2] + y.values[4] + y.values[6]) < 1e-5, "normalised channels have zero mean")
        #expect(abs(layer.runningMean.values[1] - 25) < 1e-4)
        #expect(abs(layer.runningVariance.values[0] - 5.0 / 3) < 1e-4, "running variance is unbiased")
        let inference = layer.forwardInference(Tensor(shape: [1, 2], values: [2.5, 25]))
        #expect(abs(inference.values[0]) < 1e-5 && abs(inference.values[1]) < 1e-5)
    }

    @Test mutating func activations() {
        let x = Tensor.random([3, 6], using: &random)
        let r = Tensor.random([3, 6], using: &random)
        let relu = ReLU.backward(outputGradient: r, input: x, negativeSlope: 0.1)
        #expect(gradientError(of: x, analytic: relu, epsilon: 1e-3) { weightedSum(ReLU.forward($0, negativeSlope: 0.1), r) } < 1e-3)
        let sigmoid = Sigmoid.backward(outputGradient: r, output: Sigmoid.forward(x))
        #expect(gradientError(of: x, analytic: sigmoid, epsilon: 1e-2) { weightedSum(Sigmoid.forward($0), r) } < 1e-3)
        let softmax = Softmax.backward(outputGradient: r, output: Softmax.forward(x))
        #expect(gradientError(of: x, analytic: softmax, epsilon: 1e-2) { weightedSum(Softmax.forward($0), r) } < 1e-3)
    }

    @Test mutating func pooling() {
        let x = Tensor.random([2, 6, 7, 3], using: &random)
        let geometry = WindowGeometry(kernelHeight: 2, kernelWidth: 3, strideHeight: 2, strideWidth: 2, padLeft: 1)
        let (y, winners) = MaxPool2D.forward(x, geometry: geometry)
        let r = Tensor.random(y.shape, using: &random)
        let g = MaxPool2D.backward(outputGradient: r, winners: winners, inputShape: x.shape)
        #expect(MaxPool2D.forwardInference(x, geometry: geometry) == y)
        var rectified = x
        ReLU.apply(&rectified)
        #expect(rectified == ReLU.forward(x))
        #expect(gradientError(of: x, analytic: g, epsilon: 1e-3) { weightedSum(MaxPool2D.forward($0, geometry: geometry).output, r) } < 1e-3)

        let averaged = AveragePool2D.forward(x, geometry: geometry)
        let averageGradient = AveragePool2D.backward(outputGradient: r, inputShape: x.shape, geometry: geometry)
        #expect(gradientError(of: x, analytic: averageGradient) { weightedSum(AveragePool2D.forward($0, geometry: geometry), r) } < 1e-3)
        // The first window lies over the left padding: its mean is over the four real values.
        let window = [0, 1].flatMap { h in [0, 1].map { w in x.values[(h * 7 + w) * 3] } }
        #expect(abs(averaged.values[0] - window.reduce(0, +) / 4) < 1e-6)

        let sequence = Tensor.random([2, 9, 4], using: &random)
        let pooled = Tensor.random([2, 4], using: &random)
        let mean = GlobalPool.meanBackward(outputGradient: pooled, inputShape: sequence.shape)
        #expect(gradientError(of: sequence, analytic: mean) { weightedSum(GlobalPool.meanForward($0), pooled) } < 1e-3)
        let (_, maxWinners) = GlobalPool.maxForward(sequence)
        let max = GlobalPool.maxBackward(outputGradient: pooled, winners: maxWinners, inputShape: sequence.shape)
        #expect(gradientError(of: sequence, analytic: max, epsilon: 1e-3) { weightedSum(GlobalPool.maxForward($0).output, pooled) } < 1e-3)
    }

    @Test mutating func ntXent() {
        let z = Tensor.random([6, 5], using: &random)
        let temperature: Float = 0.5
        let (loss, cache) = NTXent.forward(z, temperature: temperature)
        // The definition in double precision.
        var reference = 0.0
        let rows = 6
        func cosine(_ i: Int, _ j: Int) -> Double {
            let a = z.values[(i * 5)..<(i * 5 + 5)].map(Double.init), b = z.values[(j * 5)..<(j * 5 + 5)].map(Double.init)
            let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            return dot / (a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot())
        }
        for i in 0..<rows {
            let positive = (i + 3) % rows
            let denominator = (0..<rows).filter { $0 != i }.reduce(0.0) { $0 + exp(cosine(i, $1) / Double(temperature)) }
            reference -= log(exp(cosine(i, positive) / Double(temperature)) / denominator)
        }
        #expect(abs(Double(loss) - reference / Double(rows)) < 1e-5)
        let gradient = NTXent.backward(cache: cache, temperature: temperature)
        #expect(gradientError(of: z, analytic: gradient, epsilon: 1e-2) { Double(NTXent.forward($0, temperature: temperature).loss) } < 2e-3)
    }
}
