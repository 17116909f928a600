/// Max pooling over windows of a channels-last image. Shapes: [N, H, W, C] → [N, Ho, Wo, C];
/// padding never wins the maximum. A 1-D pooling is a 2-D one of height 1.
public enum MaxPool2D {
    /// The output and, for each output value, the input index that won (for backward).
    public static func forward(_ input: Tensor, geometry: WindowGeometry) -> (output: Tensor, winners: [Int32]) {
        var winners = [Int32](repeating: -1, count: 0)
        let output = pool(input, geometry: geometry, winners: &winners, recordWinners: true)
        return (output, winners)
    }

    /// The output alone, for inference.
    public static func forwardInference(_ input: Tensor, geometry: WindowGeometry) -> Tensor {
        var unused: [Int32] = []
        return pool(input, geometry: geometry, winners: &unused, recordWinners: false)
    }

    /// Channels innermost, so every comparison is a vector one.
    private static func pool(_ input: Tensor, geometry g: WindowGeometry, winners: inout [Int32], recordWinners: Bool) -> Tensor {
        let (batch, channels) = (input.shape[0], input.shape[3])
        let (outHeight, outWidth) = (g.outputHeight(input.shape[1]), g.outputWidth(input.shape[2]))
        var output = Tensor(shape: [batch, outHeight, outWidth, channels],
                            values: [Float](repeating: -.infinity, count: batch * outHeight * outWidth * channels))
        if recordWinners { winners = [Int32](repeating: -1, count: output.count) }
        input.values.withUnsafeBufferPointer { source in
            output.values.withUnsafeMutableBufferPointer { target in
                winners.withUnsafeMutableBufferPointer { won in
                    g.forEachWindow(inputShape: input.shape) { first, windows in
                        for window in windows {
                            if recordWinners {
                                for c in 0..<channels where source[window + c] > target[first + c] {
                                    target[first + c] = source[window + c]
                                    won[first + c] = Int32(window + c)
                                }
                            } else {
                                for c in 0..<channels { target[first + c] = max(target[first + c], source[window + c]) }
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

/// Average pooling over windows of a channels-last image. Shapes: [N, H, W, C] → [N, Ho, Wo, C].
/// Padding counts as absent (the mean is over the window's real values, like PyTorch's
/// `count_include_pad=False`). A 1-D pooling is a 2-D one of height 1.
public enum AveragePool2D {
    public static func forward(_ input: Tensor, geometry: WindowGeometry) -> Tensor {
        var output = Tensor(zeros: [input.shape[0], geometry.outputHeight(input.shape[1]), geometry.outputWidth(input.shape[2]),
                                    input.shape[3]])
        let channels = input.shape[3]
        geometry.forEachWindow(inputShape: input.shape) { first, windows in
            for window in windows {
                for c in 0..<channels { output.values[first + c] += input.values[window + c] / Float(windows.count) }
            }
        }
        return output
    }

    /// Each input value receives the output gradient divided by its window's size.
    public static func backward(outputGradient: Tensor, inputShape: [Int], geometry: WindowGeometry) -> Tensor {
        var gradient = Tensor(zeros: inputShape)
        let channels = inputShape[3]
        geometry.forEachWindow(inputShape: inputShape) { first, windows in
            for window in windows {
                for c in 0..<channels { gradient.values[window + c] += outputGradient.values[first + c] / Float(windows.count) }
            }
        }
        return gradient
    }
}

extension WindowGeometry {
    /// Calls `body` for every output position of a channels-last [N, H, W, C] input with the
    /// index of its channel 0 in the output and those of the window's real (unpadded) values in
    /// the input. The index buffer is reused from one window to the next.
    func forEachWindow(inputShape shape: [Int], _ body: (_ output: Int, _ inputs: UnsafeBufferPointer<Int>) -> Void) {
        let (batch, height, width, channels) = (shape[0], shape[1], shape[2], shape[3])
        let (outHeight, outWidth) = (outputHeight(height), outputWidth(width))
        var positions: [Int] = []
        positions.reserveCapacity(kernelHeight * kernelWidth)
        for n in 0..<batch {
            for oh in 0..<outHeight {
                for ow in 0..<outWidth {
                    positions.removeAll(keepingCapacity: true)
                    for i in 0..<kernelHeight {
                        let h = oh * strideHeight - padTop + i * dilationHeight
                        guard h >= 0 && h < height else { continue }
                        for j in 0..<kernelWidth {
                            let w = ow * strideWidth - padLeft + j * dilationWidth
                            guard w >= 0 && w < width else { continue }
                            positions.append(((n * height + h) * width + w) * channels)
                        }
                    }
                    positions.withUnsafeBufferPointer { body(((n * outHeight + oh) * outWidth + ow) * channels, $0) }
                }
            }
        }
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
