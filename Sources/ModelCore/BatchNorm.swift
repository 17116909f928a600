/// Batch normalisation over the last (channel) axis of a channels-last tensor.
///
/// Shapes: input [..., C]; gamma, beta, running mean and variance [C]; output as input.
/// Training normalises with the batch's statistics (biased variance) and updates the running
/// ones (unbiased variance, like PyTorch); inference uses the running statistics, and then
/// the layer is a per-channel scale and shift that can be folded into a preceding convolution.
public struct BatchNorm: Sendable {
    public var gamma: Tensor
    public var beta: Tensor
    public var runningMean: Tensor
    public var runningVariance: Tensor
    public var epsilon: Float
    public var momentum: Float

    public init(channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1) {
        gamma = Tensor(shape: [channels], values: [Float](repeating: 1, count: channels))
        beta = Tensor(zeros: [channels])
        runningMean = Tensor(zeros: [channels])
        runningVariance = Tensor(shape: [channels], values: [Float](repeating: 1, count: channels))
        self.epsilon = epsilon
        self.momentum = momentum
    }

    /// What the backward pass needs from a training forward pass.
    public struct Cache: Sendable {
        public var normalized: Tensor
        public var inverseDeviation: [Float]
    }

    /// y = γ·(x − μ_B)/√(σ²_B + ε) + β, updating the running statistics.
    public mutating func forwardTraining(_ input: Tensor) -> (output: Tensor, cache: Cache) {
        let channels = gamma.count
        let rows = input.count / channels
        var mean = [Double](repeating: 0, count: channels)
        var squares = [Double](repeating: 0, count: channels)
        for row in 0..<rows {
            for channel in 0..<channels {
                let value = Double(input.values[row * channels + channel])
                mean[channel] += value
                squares[channel] += value * value
            }
        }
        var inverse = [Float](repeating: 0, count: channels)
        for channel in 0..<channels {
            mean[channel] /= Double(rows)
            let variance = max(0, squares[channel] / Double(rows) - mean[channel] * mean[channel])
            inverse[channel] = Float(1 / (variance + Double(epsilon)).squareRoot())
            let unbiased = rows > 1 ? variance * Double(rows) / Double(rows - 1) : variance
            runningMean.values[channel] = (1 - momentum) * runningMean.values[channel] + momentum * Float(mean[channel])
            runningVariance.values[channel] = (1 - momentum) * runningVariance.values[channel] + momentum * Float(unbiased)
        }
        var normalized = input
        var output = input
        for row in 0..<rows {
            for channel in 0..<channels {
                let index = row * channels + channel
                normalized.values[index] = (input.values[index] - Float(mean[channel])) * inverse[channel]
                output.values[index] = normalized.values[index] * gamma.values[channel] + beta.values[channel]
            }
        }
        return (output, Cache(normalized: normalized, inverseDeviation: inverse))
    }

    /// y = γ·(x − running mean)/√(running variance + ε) + β.
    public func forwardInference(_ input: Tensor) -> Tensor {
        let (scale, shift) = scaleAndShift
        let channels = gamma.count
        var output = input
        // Rows × channels rather than an index modulo per value: this runs over every activation.
        output.values.withUnsafeMutableBufferPointer { values in
            scale.withUnsafeBufferPointer { scale in
                shift.withUnsafeBufferPointer { shift in
                    var row = values.baseAddress!
                    for _ in 0..<(input.count / channels) {
                        for channel in 0..<channels { row[channel] = row[channel] * scale[channel] + shift[channel] }
                        row += channels
                    }
                }
            }
        }
        return output
    }

    /// The inference transform as y = scale·x + shift.
    public var scaleAndShift: (scale: [Float], shift: [Float]) {
        let scale = (0..<gamma.count).map { gamma.values[$0] / (runningVariance.values[$0] + epsilon).squareRoot() }
        let shift = (0..<gamma.count).map { beta.values[$0] - runningMean.values[$0] * scale[$0] }
        return (scale, shift)
    }

    /// dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy·x̂)); dγ = Σ dy·x̂; dβ = Σ dy.
    public func backward(outputGradient: Tensor, cache: Cache) -> (input: Tensor, gamma: Tensor, beta: Tensor) {
        let channels = gamma.count
        let rows = outputGradient.count / channels
        var gammaGradient = Tensor(zeros: [channels])
        var betaGradient = Tensor(zeros: [channels])
        for row in 0..<rows {
            for channel in 0..<channels {
                let index = row * channels + channel
                gammaGradient.values[channel] += outputGradient.values[index] * cache.normalized.values[index]
                betaGradient.values[channel] += outputGradient.values[index]
            }
        }
        var inputGradient = outputGradient
        for row in 0..<rows {
            for channel in 0..<channels {
                let index = row * channels + channel
                let centred = outputGradient.values[index] - betaGradient.values[channel] / Float(rows)
                    - cache.normalized.values[index] * gammaGradient.values[channel] / Float(rows)
                inputGradient.values[index] = gamma.values[channel] * cache.inverseDeviation[channel] * centred
            }
        }
        return (inputGradient, gammaGradient, betaGradient)
    }
}
