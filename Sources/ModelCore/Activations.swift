import Foundation

/// Element-wise activations. Shapes: any; output and gradients have the input's shape.
public enum ReLU {
    /// max(0, x), or x·slope below zero for a leaky ReLU.
    public static func forward(_ input: Tensor, negativeSlope: Float = 0) -> Tensor {
        Tensor(shape: input.shape, values: input.values.map { $0 > 0 ? $0 : $0 * negativeSlope })
    }

    public static func backward(outputGradient: Tensor, input: Tensor, negativeSlope: Float = 0) -> Tensor {
        Tensor(shape: input.shape, values: zip(outputGradient.values, input.values).map { $1 > 0 ? $0 : $0 * negativeSlope })
    }

    /// In place, for inference, where the input is not needed again.
    public static func apply(_ tensor: inout Tensor) {
        tensor.values.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = max(values[index], 0) }
        }
    }
}

public enum Sigmoid {
    public static func forward(_ input: Tensor) -> Tensor {
        Tensor(shape: input.shape, values: input.values.map { 1 / (1 + exp(-$0)) })
    }

    /// Uses the output: dσ/dx = σ(1 − σ).
    public static func backward(outputGradient: Tensor, output: Tensor) -> Tensor {
        Tensor(shape: output.shape, values: zip(outputGradient.values, output.values).map { $0 * $1 * (1 - $1) })
    }
}

/// Softmax over the last axis. Shapes: [N, C] → [N, C].
public enum Softmax {
    public static func forward(_ input: Tensor) -> Tensor {
        let columns = input.shape[input.rank - 1]
        var output = input
        for row in 0..<(input.count / columns) {
            let slice = (row * columns)..<((row + 1) * columns)
            let peak = input.values[slice].max() ?? 0
            var total: Float = 0
            for index in slice {
                output.values[index] = exp(input.values[index] - peak)
                total += output.values[index]
            }
            for index in slice { output.values[index] /= total }
        }
        return output
    }

    /// dx_i = y_i (dy_i − Σ_j dy_j y_j), row by row.
    public static func backward(outputGradient: Tensor, output: Tensor) -> Tensor {
        let columns = output.shape[output.rank - 1]
        var gradient = output
        for row in 0..<(output.count / columns) {
            let slice = (row * columns)..<((row + 1) * columns)
            let dot = slice.reduce(Float(0)) { $0 + outputGradient.values[$1] * output.values[$1] }
            for index in slice { gradient.values[index] = output.values[index] * (outputGradient.values[index] - dot) }
        }
        return gradient
    }
}
