import ModelCore
import Testing

@Suite struct RegulariserTests {
    var random = SeededRandom(seed: 21)

    @Test mutating func dropoutKeepsTheExpectationAndRoutesGradients() {
        let ones = Tensor(shape: [10_000], values: [Float](repeating: 1, count: 10_000))
        let (output, mask) = Dropout.forward(ones, probability: 0.3, random: &random)
        let mean = output.values.reduce(0, +) / Float(output.count)
        #expect(abs(mean - 1) < 0.03)
        #expect(abs(Float(output.values.filter { $0 == 0 }.count) / 10_000 - 0.3) < 0.02)
        let gradient = Dropout.backward(outputGradient: ones, mask: mask)
        #expect(gradient.values == mask)
    }

    @Test mutating func frequencyPositionEmbedding() {
        let x = Tensor.random([2, 4, 3, 5], using: &random)
        let e = Tensor.random([4, 5], using: &random)
        let r = Tensor.random(x.shape, using: &random)
        let g = FrequencyPositionEmbedding.backward(outputGradient: r)
        #expect(gradientError(of: e, analytic: g.embedding) { weightedSum(FrequencyPositionEmbedding.forward(x, embedding: $0), r) } < 1e-3)
        #expect(gradientError(of: x, analytic: g.input) { weightedSum(FrequencyPositionEmbedding.forward($0, embedding: e), r) } < 1e-3)
    }

    @Test mutating func weightNormalisedConvolution() {
        let v = Tensor.random([3, 4, 6], using: &random)
        let g = Tensor.random([6], using: &random)
        let x = Tensor.random([2, 10, 4], using: &random)
        let geometry = Conv1D.geometry(kernel: 3, padBefore: 1, padAfter: 1)
        let w = WeightNorm.weight(direction: v, magnitude: g)
        // Each output channel's filter has norm |g|.
        let norms = (0..<6).map { c in stride(from: c, to: w.count, by: 6).reduce(Float(0)) { $0 + w.values[$1] * w.values[$1] }.squareRoot() }
        #expect(zip(norms, g.values).allSatisfy { abs($0 - abs($1)) < 1e-5 })
        let y = Conv1D.forward(input: x, weight: w, bias: nil, geometry: geometry)
        let r = Tensor.random(y.shape, using: &random)
        let dw = Conv1D.backward(outputGradient: r, input: x, weight: w, geometry: geometry).weight
        let gradients = WeightNorm.backward(weightGradient: dw, direction: v, magnitude: g)
        func loss(_ v: Tensor, _ g: Tensor) -> Double {
            weightedSum(Conv1D.forward(input: x, weight: WeightNorm.weight(direction: v, magnitude: g), bias: nil, geometry: geometry), r)
        }
        #expect(gradientError(of: v, analytic: gradients.direction, epsilon: 1e-2) { loss($0, g) } < 2e-3)
        #expect(gradientError(of: g, analytic: gradients.magnitude) { loss(v, $0) } < 1e-3)
    }

    @Test mutating func batchNormFoldsIntoTheConvolutionBeforeIt() {
        var norm = BatchNorm(channels: 4, epsilon: 1e-3)
        norm.gamma = Tensor.random([4], using: &random)
        norm.beta = Tensor.random([4], using: &random)
        norm.runningMean = Tensor.random([4], using: &random)
        norm.runningVariance = Tensor(shape: [4], values: [0.5, 1, 2, 4])
        let x = Tensor.random([2, 6, 5, 3], using: &random)
        let w = Tensor.random([3, 3, 3, 4], using: &random)
        let b = Tensor.random([4], using: &random)
        let geometry = WindowGeometry.same(kernelHeight: 3, kernelWidth: 3, height: 6, width: 5)
        let separate = norm.forwardInference(Conv2D.forward(input: x, weight: w, bias: b, geometry: geometry))
        let (foldedWeight, foldedBias) = norm.folded(intoWeight: w, bias: b)
        let folded = Conv2D.forward(input: x, weight: foldedWeight, bias: foldedBias, geometry: geometry)
        #expect(zip(separate.values, folded.values).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test mutating func concatenationSplitsItsGradient() {
        let a = Tensor.random([2, 3, 4], using: &random)
        let b = Tensor.random([2, 3, 2], using: &random)
        let joined = Concatenation.forward([a, b])
        #expect(joined.shape == [2, 3, 6])
        let r = Tensor.random(joined.shape, using: &random)
        let parts = Concatenation.backward(outputGradient: r, widths: [4, 2])
        #expect(gradientError(of: a, analytic: parts[0]) { weightedSum(Concatenation.forward([$0, b]), r) } < 1e-3)
        #expect(gradientError(of: b, analytic: parts[1]) { weightedSum(Concatenation.forward([a, $0]), r) } < 1e-3)
    }

    @Test mutating func residualSums() {
        let a = Tensor.random([3, 4], using: &random)
        let b = Tensor.random([3, 4], using: &random)
        #expect(Residual.forward(a, b).values == zip(a.values, b.values).map(+))
    }
}
