import COpenBLAS
import Dispatch
import Foundation
import ModelCore

/// A contrastive (SimCLR) training step of the two CNN encoders of `bench model`, as
/// tools/bench_torch.py times it: forward of both views through [conv → batch norm → ReLU →
/// max pool] blocks and a projector (512 → 512 → 128), NT-Xent (τ 0.1), backward, Adam.
struct ContrastiveTrainingBench {
    struct Block {
        var weight: Int
        var gamma: Int
        var beta: Int
        var norm: BatchNorm
        let geometry: (_ height: Int, _ width: Int) -> WindowGeometry
        let pool: WindowGeometry?
    }

    var parameters: [Parameter] = []
    var blocks: [Block] = []
    var projector: [Int] = []
    var optimizer = Adam()

    private mutating func add(_ tensor: Tensor) -> Int {
        parameters.append(Parameter(tensor))
        return parameters.count - 1
    }

    /// Blocks of kernels [kh, kw, Cin, Cout], then the projector.
    init(kernels: [[Int]], geometry: @escaping (Int, Int, Int) -> WindowGeometry, pool: (Int) -> WindowGeometry?,
         random: inout SeededRandom) {
        for (index, shape) in kernels.enumerated() {
            let weight = add(random.kaiming(shape, fanIn: shape[0] * shape[1] * shape[2]))
            let gamma = add(Tensor(shape: [shape[3]], values: [Float](repeating: 1, count: shape[3])))
            let beta = add(Tensor(zeros: [shape[3]]))
            blocks.append(Block(weight: weight, gamma: gamma, beta: beta, norm: BatchNorm(channels: shape[3]),
                                geometry: { geometry(index, $0, $1) }, pool: pool(index)))
        }
        projector = [add(random.kaiming([512, 512], fanIn: 512)), add(Tensor(zeros: [512])),
                     add(random.kaiming([512, 128], fanIn: 512)), add(Tensor(zeros: [128]))]
    }

    private struct BlockCache {
        var input: Tensor
        var geometry: WindowGeometry
        var norm: BatchNorm.Cache
        var normalized: Tensor
        var activated: Tensor
        var winners: [Int32]?
    }

    /// One step on `input` [2·pairs, H, W, C] (view 1 rows, then view 2); returns the loss.
    mutating func step(_ input: Tensor) -> Float {
        for index in blocks.indices {
            blocks[index].norm.gamma = parameters[blocks[index].gamma].value
            blocks[index].norm.beta = parameters[blocks[index].beta].value
        }
        var caches: [BlockCache] = []
        var x = input
        for index in blocks.indices {
            let geometry = blocks[index].geometry(x.shape[1], x.shape[2])
            let convolved = Conv2D.forward(input: x, weight: parameters[blocks[index].weight].value, bias: nil, geometry: geometry)
            let (normalized, normCache) = blocks[index].norm.forwardTraining(convolved)
            let activated = ReLU.forward(normalized)
            var cache = BlockCache(input: x, geometry: geometry, norm: normCache, normalized: normalized, activated: activated)
            if let pool = blocks[index].pool {
                let pooled = MaxPool2D.forward(activated, geometry: pool)
                cache.winners = pooled.winners
                x = pooled.output
            } else {
                x = activated
            }
            caches.append(cache)
        }
        let featureShape = x.shape
        let features = GlobalPool.meanForward(x.reshaped([x.shape[0], x.shape[1] * x.shape[2], x.shape[3]]))
        let hidden = Linear.forward(input: features, weight: parameters[projector[0]].value, bias: parameters[projector[1]].value)
        let activatedHidden = ReLU.forward(hidden)
        let projections = Linear.forward(input: activatedHidden, weight: parameters[projector[2]].value,
                                         bias: parameters[projector[3]].value)
        let (loss, lossCache) = NTXent.forward(projections, temperature: 0.1)

        let second = Linear.backward(outputGradient: NTXent.backward(cache: lossCache, temperature: 0.1), input: activatedHidden,
                                     weight: parameters[projector[2]].value)
        let first = Linear.backward(outputGradient: ReLU.backward(outputGradient: second.input, input: hidden), input: features,
                                    weight: parameters[projector[0]].value)
        (parameters[projector[0]].gradient, parameters[projector[1]].gradient) = (first.weight, first.bias)
        (parameters[projector[2]].gradient, parameters[projector[3]].gradient) = (second.weight, second.bias)
        let pooledShape = [featureShape[0], featureShape[1] * featureShape[2], featureShape[3]]
        var gradient = GlobalPool.meanBackward(outputGradient: first.input, inputShape: pooledShape).reshaped(featureShape)
        for index in blocks.indices.reversed() {
            let cache = caches[index]
            if let winners = cache.winners {
                gradient = MaxPool2D.backward(outputGradient: gradient, winners: winners, inputShape: cache.activated.shape)
            }
            gradient = ReLU.backward(outputGradient: gradient, input: cache.normalized)
            let norm = blocks[index].norm.backward(outputGradient: gradient, cache: cache.norm)
            (parameters[blocks[index].gamma].gradient, parameters[blocks[index].beta].gradient) = (norm.gamma, norm.beta)
            let convolution = Conv2D.backward(outputGradient: norm.input, input: cache.input,
                                              weight: parameters[blocks[index].weight].value, geometry: cache.geometry)
            parameters[blocks[index].weight].gradient = convolution.weight
            gradient = convolution.input
        }
        optimizer.update(&parameters, learningRate: 3e-4)
        return loss
    }

    /// FLOP of one example as bench_torch.py counts training: 3 × the forward convolutions and
    /// linear layers (forward, gradient of the input, gradient of the weights).
    func trainingFlops(inputShape: [Int]) -> Double {
        var (height, width, operations) = (inputShape[0], inputShape[1], 0.0)
        for block in blocks {
            let kernel = parameters[block.weight].value.shape
            let geometry = block.geometry(height, width)
            (height, width) = (geometry.outputHeight(height), geometry.outputWidth(width))
            operations += 2 * Double(height * width * kernel[3]) * Double(kernel[0] * kernel[1] * kernel[2])
            if let pool = block.pool { (height, width) = (pool.outputHeight(height), pool.outputWidth(width)) }
        }
        operations += 2 * Double(512 * 512 + 512 * 128)
        return 3 * operations
    }
}

extension Benchmark {
    func training() {
        openblas_set_num_threads(2)
        var random = SeededRandom(seed: 5)
        let channels = [1, 32, 64, 128, 256, 512]
        var spectrogramCNN = ContrastiveTrainingBench(
            kernels: (0..<5).map { [3, 3, channels[$0], channels[$0 + 1]] },
            geometry: { _, height, width in WindowGeometry.same(kernelHeight: 3, kernelWidth: 3, height: height, width: width) },
            pool: { _ in WindowGeometry(kernelHeight: 2, kernelWidth: 2, strideHeight: 2, strideWidth: 2) }, random: &random)
        trainingCase("spec2d,train,pairs=32", &spectrogramCNN, input: Tensor.random([64, 96, 256, 1], using: &random))

        let sampleChannels = [1, 128, 128, 128, 256, 256, 256, 256, 256, 256, 512, 512]
        var sampleCNN = ContrastiveTrainingBench(
            kernels: (0..<11).map { [1, 3, sampleChannels[$0], sampleChannels[$0 + 1]] },
            geometry: { index, _, _ in index == 0 ? Conv1D.geometry(kernel: 3, stride: 3) : Conv1D.geometry(kernel: 3, padBefore: 1, padAfter: 1) },
            pool: { (1...9).contains($0) ? WindowGeometry(kernelHeight: 1, kernelWidth: 3, strideWidth: 3) : nil }, random: &random)
        trainingCase("samplecnn,train,pairs=8", &sampleCNN, input: Tensor.random([16, 1, 59_049, 1], using: &random))
    }

    private func trainingCase(_ name: String, _ model: inout ContrastiveTrainingBench, input: Tensor) {
        var losses: [Float] = []
        let seconds = median { losses.append(model.step(input)) }
        let examples = Double(input.shape[0])
        let flops = model.trainingFlops(inputShape: Array(input.shape[1...]))
        report("model", name, examples / seconds, "examples/s",
               extra: ["gflops": String(format: "%.1f", flops * examples / seconds / 1e9),
                       "loss_first_last": String(format: "%.4f→%.4f", losses.first!, losses.last!)])
    }
}
