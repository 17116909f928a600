/// Inverted dropout: in training, zero each value with probability p and scale the rest
/// by 1/(1−p), so inference is the identity. Shapes: any.
public enum Dropout {
    public static func forward(_ input: Tensor, probability: Float, random: inout SeededRandom) -> (output: Tensor, mask: [Float]) {
        precondition((0..<1).contains(probability), "dropout probability must be in [0, 1)")
        let keep = 1 / (1 - probability)
        let mask = (0..<input.count).map { _ in Float.random(in: 0..<1, using: &random) < probability ? 0 : keep }
        return (Tensor(shape: input.shape, values: zip(input.values, mask).map(*)), mask)
    }

    public static func backward(outputGradient: Tensor, mask: [Float]) -> Tensor {
        Tensor(shape: outputGradient.shape, values: zip(outputGradient.values, mask).map(*))
    }
}

/// A residual connection, y = a + b; the gradient reaches both branches unchanged.
public enum Residual {
    public static func forward(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "residual branches \(a.shape) and \(b.shape) differ")
        return Tensor(shape: a.shape, values: zip(a.values, b.values).map(+))
    }
}

/// A learned embedding added along the frequency axis of a spectrogram feature map, so that
/// convolutions (which are blind to position) know which band they look at.
///
/// Shapes: input [N, F, T, C], embedding [F, C], output [N, F, T, C].
public enum FrequencyPositionEmbedding {
    public static func forward(_ input: Tensor, embedding: Tensor) -> Tensor {
        let (frequencies, times, channels) = (input.shape[1], input.shape[2], input.shape[3])
        precondition(embedding.shape == [frequencies, channels], "embedding \(embedding.shape) for input \(input.shape)")
        var output = input
        for n in 0..<input.shape[0] {
            for f in 0..<frequencies {
                for t in 0..<times {
                    let base = ((n * frequencies + f) * times + t) * channels
                    for c in 0..<channels { output.values[base + c] += embedding.values[f * channels + c] }
                }
            }
        }
        return output
    }

    /// dInput = dOutput; dEmbedding[f, c] = Σ_{n, t} dOutput[n, f, t, c].
    public static func backward(outputGradient: Tensor) -> (input: Tensor, embedding: Tensor) {
        let (frequencies, times, channels) = (outputGradient.shape[1], outputGradient.shape[2], outputGradient.shape[3])
        var embedding = Tensor(zeros: [frequencies, channels])
        for n in 0..<outputGradient.shape[0] {
            for f in 0..<frequencies {
                for t in 0..<times {
                    let base = ((n * frequencies + f) * times + t) * channels
                    for c in 0..<channels { embedding.values[f * channels + c] += outputGradient.values[base + c] }
                }
            }
        }
        return (outputGradient, embedding)
    }
}

/// Weight normalisation (Salimans & Kingma): w = g · v / ‖v‖ per output channel, the norm
/// taken over every axis but the last. Shapes: v [..., Cout], g [Cout], w as v.
public enum WeightNorm {
    public static func weight(direction v: Tensor, magnitude g: Tensor) -> Tensor {
        let norms = columnNorms(v)
        let outputs = g.count
        return Tensor(shape: v.shape, values: v.values.enumerated().map { index, value in
            let column = index % outputs
            return g.values[column] * value / norms[column]
        })
    }

    /// dg = Σ dw·v/‖v‖; dv = (g/‖v‖)·(dw − (v/‖v‖)·dg), column by column.
    public static func backward(weightGradient: Tensor, direction v: Tensor, magnitude g: Tensor)
        -> (direction: Tensor, magnitude: Tensor) {
        let norms = columnNorms(v)
        let outputs = g.count
        var magnitude = Tensor(zeros: [outputs])
        for (index, value) in v.values.enumerated() {
            magnitude.values[index % outputs] += weightGradient.values[index] * value / norms[index % outputs]
        }
        let direction = Tensor(shape: v.shape, values: v.values.enumerated().map { index, value in
            let column = index % outputs
            return g.values[column] / norms[column] * (weightGradient.values[index] - value / norms[column] * magnitude.values[column])
        })
        return (direction, magnitude)
    }

    static func columnNorms(_ v: Tensor) -> [Float] {
        let outputs = v.shape[v.rank - 1]
        var squares = [Float](repeating: 0, count: outputs)
        for (index, value) in v.values.enumerated() { squares[index % outputs] += value * value }
        return squares.map { max($0.squareRoot(), 1e-12) }
    }
}

extension BatchNorm {
    /// A convolution (weight [..., Cout], bias [Cout]) followed by this layer in inference,
    /// as one convolution: w' = w·scale per output channel, b' = b·scale + shift.
    public func folded(intoWeight weight: Tensor, bias: Tensor?) -> (weight: Tensor, bias: Tensor) {
        let (scale, shift) = scaleAndShift
        let outputs = scale.count
        let foldedWeight = Tensor(shape: weight.shape, values: weight.values.enumerated().map { $1 * scale[$0 % outputs] })
        let foldedBias = Tensor(shape: [outputs], values: (0..<outputs).map { (bias?.values[$0] ?? 0) * scale[$0] + shift[$0] })
        return (foldedWeight, foldedBias)
    }
}
