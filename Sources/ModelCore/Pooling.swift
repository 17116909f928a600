/// Max pooling over windows of a channels-last image. Shapes: [N, H, W, C] → [N, Ho, Wo, C];
/// padding never wins the maximum. A 1-D pooling is a 2-D one of height 1.
public enum MaxPool2D {
    /// The output and, for each output value, the input index that won (for backward).
    public static func forward(_ input: Tensor, geometry g: WindowGeometry) -> (output: Tensor, winners: [Int32]) {
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (outHeight, outWidth) = (g.outputHeight(height), g.outputWidth(width))
        var output = Tensor(zeros: [batch, outHeight, outWidth, channels])
        var winners = [Int32](repeating: -1, count: output.count)
        var target = 0
        for n in 0..<batch {
            for oh in 0..<outHeight {
                for ow in 0..<outWidth {
                    for c in 0..<channels {
                        var best = -Float.infinity
                        var bestIndex = -1
                        for i in 0..<g.kernelHeight {
                            let h = oh * g.strideHeight - g.padTop + i * g.dilationHeight
                            guard h >= 0 && h < height else { continue }
                            for j in 0..<g.kernelWidth {
                                let w = ow * g.strideWidth - g.padLeft + j * g.dilationWidth
                                guard w >= 0 && w < width else { continue }
                                let index = ((n * height + h) * width + w) * channels + c
                                if input.values[index] > best {
                                    best = input.values[index]
                                    bestIndex = index
                                }
                            }
                        }
                        output.values[target] = best
                        winners[target] = Int32(bestIndex)
                        target += 1
                    }
                }
            }
        }
        return (output, winners)
    }

    /// The output alone, for inference: channels innermost, so every comparison is a vector one.
    public static func forwardInference(_ input: Tensor, geometry g: WindowGeometry) -> Tensor {
        let (batch, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (outHeight, outWidth) = (g.outputHeight(height), g.outputWidth(width))
        var output = Tensor(shape: [batch, outHeight, outWidth, channels],
                            values: [Float](repeating: -.infinity, count: batch * outHeight * outWidth * channels))
        input.values.withUnsafeBufferPointer { source in
            output.values.withUnsafeMutableBufferPointer { target in
                for n in 0..<batch {
                    for oh in 0..<outHeight {
                        for ow in 0..<outWidth {
                            let out = target.baseAddress! + ((n * outHeight + oh) * outWidth + ow) * channels
                            for i in 0..<g.kernelHeight {
                                let h = oh * g.strideHeight - g.padTop + i * g.dilationHeight
                                guard h >= 0 && h < height else { continue }
                                for j in 0..<g.kernelWidth {
                                    let w = ow * g.strideWidth - g.padLeft + j * g.dilationWidth
                                    guard w >= 0 && w < width else { continue }
                                    let window = source.baseAddress! + ((n * height + h) * width + w) * channels
                                    for c in 0..<channels { out[c] = max(out[c], window[c]) }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Each output gradient flows to the input value that won its window.
    public static func backward(outputGradient: Tensor, winners: [Int32], inputShape: [Int]) -> Tensor {
        var gradient = Tensor(zeros: inputShape)
        for (index, winner) in winners.enumerated() where winner >= 0 {
            gradient.values[Int(winner)] += outputGradient.values[index]
        }
        return gradient
    }
}

/// Mean and max over the time axis of a sequence. Shapes: [N, L, C] → [N, C].
public enum GlobalPool {
    public static func meanForward(_ input: Tensor) -> Tensor {
        let (batch, length, channels) = (input.shape[0], input.shape[1], input.shape[2])
        var output = Tensor(zeros: [batch, channels])
        for n in 0..<batch {
            for t in 0..<length {
                for c in 0..<channels { output.values[n * channels + c] += input.values[(n * length + t) * channels + c] }
            }
        }
        for index in 0..<output.count { output.values[index] /= Float(length) }
        return output
    }

    /// dx[n, t, c] = dy[n, c] / L.
    public static func meanBackward(outputGradient: Tensor, inputShape: [Int]) -> Tensor {
        let (batch, length, channels) = (inputShape[0], inputShape[1], inputShape[2])
        var gradient = Tensor(zeros: inputShape)
        for n in 0..<batch {
            for t in 0..<length {
                for c in 0..<channels {
                    gradient.values[(n * length + t) * channels + c] = outputGradient.values[n * channels + c] / Float(length)
                }
            }
        }
        return gradient
    }

    public static func maxForward(_ input: Tensor) -> (output: Tensor, winners: [Int32]) {
        let sequence = input.reshaped([input.shape[0], 1, input.shape[1], input.shape[2]])
        let (output, winners) = MaxPool2D.forward(sequence, geometry: WindowGeometry(kernelHeight: 1, kernelWidth: input.shape[1]))
        return (output.reshaped([input.shape[0], input.shape[2]]), winners)
    }

    public static func maxBackward(outputGradient: Tensor, winners: [Int32], inputShape: [Int]) -> Tensor {
        MaxPool2D.backward(outputGradient: outputGradient, winners: winners, inputShape: inputShape)
    }
}
