import Foundation
import ModelCore

/// musicnn (Pons & Serra, 2019), the pretrained tagger, as specified in docs/musicnn.md.
///
/// A patch of 187 log-mel frames × 96 bands goes through vertical ("timbral") and horizontal
/// ("temporal") convolutions each max-pooled over frequency, a mid-end of three 1-D convolutions
/// with residual connections, and a back end that pools max and mean over time (interleaved per
/// channel), then dense 200 (the embedding) and 50 sigmoid tags. Every convolution and dense layer
/// is followed by ReLU and then batch norm (ε = 0.001), which therefore stays a separate step.
public struct MusicnnNetwork: Sendable {
    public let tags: [String]
    public let metadata: [String: String]
    private let weights: [String: Tensor]
    private let norms: [String: BatchNorm]

    public static let patchFrames = 187
    public static let bands = 96
    public static let embeddingSize = 200
    /// Multiply-adds of one 187-frame patch (docs/musicnn.md, from tools/musicnn_numpy_reference.py --count).
    public static let multiplyAddsPerPatch = 1_398_553_584.0

    public init(file: SafeTensors) throws {
        guard file.metadata["architecture"] == "musicnn" else {
            throw SafeTensors.Failure.badHeader("not a musicnn model (architecture \(file.metadata["architecture"] ?? "missing"))")
        }
        weights = file.tensors
        metadata = file.metadata
        let tagData = Data((file.metadata["tags"] ?? "[]").utf8)
        tags = (try? JSONDecoder().decode([String].self, from: tagData)) ?? []
        var norms: [String: BatchNorm] = [:]
        for name in file.tensors.keys where name.hasSuffix(".gamma") {
            let prefix = String(name.dropLast(".gamma".count))
            var norm = BatchNorm(channels: file.tensors[name]!.count, epsilon: 0.001)
            norm.gamma = try file.tensor(prefix + ".gamma")
            norm.beta = try file.tensor(prefix + ".beta")
            norm.runningMean = try file.tensor(prefix + ".moving_mean")
            norm.runningVariance = try file.tensor(prefix + ".moving_variance")
            norms[prefix] = norm
        }
        self.norms = norms
        for required in ["frontend.timbral_74.conv.weight", "midend.conv1.conv.weight", "backend.output.weight"] {
            _ = try file.tensor(required)
        }
    }

    public init(contentsOf url: URL) throws {
        try self.init(file: SafeTensors(contentsOf: url))
    }

    /// Outputs for a batch of patches [N, T, 96]: embeddings [N, 200], logits and probabilities [N, 50].
    ///
    /// With `threads` > 1 the patches are shared out, each thread running the whole network on its
    /// share on one core: the steps between the convolutions are too small to split, and the
    /// convolutions by FFT work patch by patch anyway.
    public func forward(patches: Tensor, threads: Int = 1) -> (embeddings: Tensor, logits: Tensor, probabilities: Tensor) {
        let batch = patches.shape[0], workers = max(1, min(threads, batch))
        guard workers > 1 else { return forwardOnOneCore(patches) }
        let patchValues = patches.count / batch
        let parts = withSingleThreadedBLAS(whenWorkers: workers) {
            Parallel.map(workers) { worker in
                let (first, end) = (batch * worker / workers, batch * (worker + 1) / workers)
                let share = Tensor(shape: [end - first] + patches.shape.dropFirst(),
                                   values: Array(patches.values[(first * patchValues)..<(end * patchValues)]))
                return forwardOnOneCore(share)
            }
        }
        func joined(_ output: KeyPath<(embeddings: Tensor, logits: Tensor, probabilities: Tensor), Tensor>) -> Tensor {
            Tensor(shape: [batch, parts[0][keyPath: output].shape[1]], values: parts.flatMap { $0[keyPath: output].values })
        }
        return (joined(\.embeddings), joined(\.logits), joined(\.probabilities))
    }

    private func forwardOnOneCore(_ patches: Tensor) -> (embeddings: Tensor, logits: Tensor, probabilities: Tensor) {
        let (batch, frames) = (patches.shape[0], patches.shape[1])
        // [N, T, 96] as an image of height T (time), width 96 (mel), one channel.
        let input = norms["frontend.input_bn"]!.forwardInference(patches.reshaped([batch, frames, Self.bands, 1]))
        func frontEndBranch(_ block: String, timeTaps: Int, timePadding: (Int, Int)) -> Tensor {
            frequencyPooledConvolution(block, input, timeTaps: timeTaps, timePadding: timePadding)
        }
        let frontEnd = Concatenation.forward([
            frontEndBranch("frontend.timbral_74", timeTaps: 7, timePadding: (3, 3)),
            frontEndBranch("frontend.timbral_77", timeTaps: 7, timePadding: (3, 3)),
            frontEndBranch("frontend.temporal_128", timeTaps: 128, timePadding: (63, 64)),
            frontEndBranch("frontend.temporal_64", timeTaps: 64, timePadding: (31, 32)),
            frontEndBranch("frontend.temporal_32", timeTaps: 32, timePadding: (15, 16)),
        ])
        let first = midEndConvolution("midend.conv1", frontEnd)
        let second = Residual.forward(midEndConvolution("midend.conv2", first), first)
        let third = Residual.forward(midEndConvolution("midend.conv3", second), second)
        let features = Concatenation.forward([frontEnd, first, second, third])

        // [max₀, mean₀, max₁, mean₁, …] over time.
        let maximum = GlobalPool.maxForward(features).output
        let mean = GlobalPool.meanForward(features)
        let channels = features.shape[2]
        var pooledValues = [Float](repeating: 0, count: batch * 2 * channels)
        for index in 0..<(batch * channels) {
            pooledValues[2 * index] = maximum.values[index]
            pooledValues[2 * index + 1] = mean.values[index]
        }
        let pooled = norms["backend.pool_bn"]!.forwardInference(Tensor(shape: [batch, 2 * channels], values: pooledValues))
        var dense = Linear.forward(input: pooled, weight: weights["backend.dense.weight"]!, bias: weights["backend.dense.bias"]!)
        ReLU.apply(&dense)
        let embeddings = norms["backend.dense_bn"]!.forwardInference(dense)
        let logits = Linear.forward(input: embeddings, weight: weights["backend.output.weight"]!, bias: weights["backend.output.bias"]!)
        return (embeddings, logits, Sigmoid.forward(logits))
    }

    /// Convolution over (time, frequency) with zeros in time only, ReLU, batch norm, then the
    /// maximum over every frequency position: [N, T, 96, 1] → [N, T, C].
    private func frequencyPooledConvolution(_ block: String, _ input: Tensor, timeTaps: Int, timePadding: (Int, Int)) -> Tensor {
        let weight = weights[block + ".conv.weight"]!
        let geometry = WindowGeometry(kernelHeight: timeTaps, kernelWidth: weight.shape[1],
                                      padTop: timePadding.0, padBottom: timePadding.1)
        return Conv2DInference.forward(input: input, weight: weight, bias: weights[block + ".conv.bias"]!, geometry: geometry,
                                       epilogue: .reluThen(norms[block + ".bn"]!, pooling: .maxOverWidth))
    }

    /// Seven-tap convolution over time, zeros 3/3, ReLU, batch norm: [N, T, Cin] → [N, T, 64].
    private func midEndConvolution(_ block: String, _ input: Tensor) -> Tensor {
        let (batch, frames, channels) = (input.shape[0], input.shape[1], input.shape[2])
        let stored = weights[block + ".conv.weight"]!
        // Stored [7, Cin, 1, 64]: the same bytes as a height-1 kernel [1, 7, Cin, 64] over [N, 1, T, Cin].
        let weight = stored.reshaped([1, stored.shape[0], stored.shape[1], stored.shape[3]])
        let output = Conv2DInference.forward(input: input.reshaped([batch, 1, frames, channels]), weight: weight,
                                             bias: weights[block + ".conv.bias"]!,
                                             geometry: Conv1D.geometry(kernel: 7, padBefore: 3, padAfter: 3),
                                             epilogue: .reluThen(norms[block + ".bn"]!))
        return output.reshaped([batch, frames, weight.shape[3]])
    }
}
