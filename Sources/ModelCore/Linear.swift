/// A fully connected layer. Shapes: input [N, I], weight [I, O], bias [O], output [N, O].
public enum Linear {
    /// output = input · weight + bias
    public static func forward(input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let (batch, inputs, outputs) = (input.shape[0], input.shape[1], weight.shape[1])
        precondition(weight.shape[0] == inputs, "weight \(weight.shape) does not fit input \(input.shape)")
        var output = Tensor(zeros: [batch, outputs])
        if let bias {
            for row in 0..<batch {
                for column in 0..<outputs { output.values[row * outputs + column] = bias.values[column] }
            }
        }
        output.values.withUnsafeMutableBufferPointer { out in
            input.values.withUnsafeBufferPointer { x in
                weight.values.withUnsafeBufferPointer { w in
                    gemm(batch, outputs, inputs, x.baseAddress!, w.baseAddress!, out.baseAddress!, beta: bias == nil ? 0 : 1)
                }
            }
        }
        return output
    }

    /// dInput = dOutput · weightᵀ, dWeight = inputᵀ · dOutput, dBias = Σ_rows dOutput.
    public static func backward(outputGradient: Tensor, input: Tensor, weight: Tensor)
        -> (input: Tensor, weight: Tensor, bias: Tensor) {
        let (batch, inputs, outputs) = (input.shape[0], input.shape[1], weight.shape[1])
        var inputGradient = Tensor(zeros: input.shape)
        var weightGradient = Tensor(zeros: weight.shape)
        var biasGradient = Tensor(zeros: [outputs])
        outputGradient.values.withUnsafeBufferPointer { dOut in
            weight.values.withUnsafeBufferPointer { w in
                inputGradient.values.withUnsafeMutableBufferPointer { dX in
                    gemm(batch, inputs, outputs, dOut.baseAddress!, w.baseAddress!, transposeB: true, dX.baseAddress!)
                }
            }
            input.values.withUnsafeBufferPointer { x in
                weightGradient.values.withUnsafeMutableBufferPointer { dW in
                    gemm(inputs, outputs, batch, x.baseAddress!, transposeA: true, dOut.baseAddress!, dW.baseAddress!)
                }
            }
        }
        for row in 0..<batch {
            for column in 0..<outputs { biasGradient.values[column] += outputGradient.values[row * outputs + column] }
        }
        return (inputGradient, weightGradient, biasGradient)
    }
}
