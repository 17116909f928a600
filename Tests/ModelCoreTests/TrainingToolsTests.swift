import Foundation
import ModelCore
import Testing
import TestSupport

@Suite struct TrainingToolsTests {
    /// Minimises ‖Xw − y‖² for a known w*: both optimisers must find it.
    func fit(_ update: (inout [Parameter], Float) -> Void, learningRate: Float, steps: Int) -> Float {
        var random = SeededRandom(seed: 3)
        let x = Tensor.random([32, 4], using: &random)
        let truth = Tensor(shape: [4, 1], values: [1.5, -2, 0.5, 3])
        let y = Linear.forward(input: x, weight: truth, bias: nil)
        var parameters = [Parameter(Tensor(zeros: [4, 1]))]
        for _ in 0..<steps {
            let prediction = Linear.forward(input: x, weight: parameters[0].value, bias: nil)
            let residual = Tensor(shape: prediction.shape, values: zip(prediction.values, y.values).map { 2 * ($0 - $1) / 32 })
            parameters[0].gradient = Linear.backward(outputGradient: residual, input: x, weight: parameters[0].value).weight
            update(&parameters, learningRate)
        }
        return zip(parameters[0].value.values, truth.values).map { abs($0 - $1) }.max()!
    }

    @Test func adamAndSGDConverge() {
        var adam = Adam()
        #expect(fit({ adam.update(&$0, learningRate: $1) }, learningRate: 0.05, steps: 800) < 1e-2)
        var sgd = SGD(momentum: 0.9)
        #expect(fit({ sgd.update(&$0, learningRate: $1) }, learningRate: 0.02, steps: 400) < 1e-3)
    }

    @Test func adamFirstStepMovesByTheLearningRate() {
        var parameters = [Parameter(Tensor(shape: [2], values: [1, -1]))]
        parameters[0].gradient = Tensor(shape: [2], values: [0.3, -7])
        var adam = Adam()
        adam.update(&parameters, learningRate: 0.1)
        // Bias correction makes the first step ±lr whatever the gradient's size.
        #expect(abs(parameters[0].value.values[0] - 0.9) < 1e-5)
        #expect(abs(parameters[0].value.values[1] - (-0.9)) < 1e-5)
        var decayed = [Parameter(Tensor(shape: [1], values: [2]))]
        var adamW = Adam(weightDecay: 0.5)
        adamW.update(&decayed, learningRate: 0.1)
        #expect(abs(decayed[0].value.values[0] - (2 - 0.1 * 0.5 * 2)) < 1e-5, "zero gradient: only the decoupled decay acts")
    }

    @Test func warmupThenCosine() {
        let schedule = WarmupCosineSchedule(peak: 1e-3, warmupSteps: 10, totalSteps: 110, floor: 1e-5)
        #expect(abs(schedule.rate(at: 0) - 1e-4) < 1e-9)
        #expect(abs(schedule.rate(at: 9) - 1e-3) < 1e-9)
        #expect(abs(schedule.rate(at: 60) - (1e-5 + (1e-3 - 1e-5) / 2)) < 1e-8)
        #expect(abs(schedule.rate(at: 110) - 1e-5) < 1e-9)
        #expect((10..<110).allSatisfy { schedule.rate(at: $0) >= schedule.rate(at: $0 + 1) })
    }

    @Test func safeTensorsRoundTrip() throws {
        var random = SeededRandom(seed: 8)
        let file = SafeTensors(tensors: ["conv.weight": Tensor.random([3, 3, 1, 4], using: &random),
                                         "conv.bias": Tensor.random([4], using: &random)],
                               metadata: ["architecture": "test", "tags": "[\"piano\",\"drums\"]"])
        let scratch = TemporaryDirectory()
        let url = URL(fileURLWithPath: scratch.file("model.safetensors"))
        try file.write(to: url)
        let loaded = try SafeTensors(contentsOf: url)
        #expect(loaded.tensors == file.tensors)
        #expect(loaded.metadata == file.metadata)
        let data = try Data(contentsOf: url)
        #expect((data.count - 8) % 4 == 0)
        #expect(throws: SafeTensors.Failure.self) { try SafeTensors(data: data.prefix(data.count - 3)) }
        #expect(throws: SafeTensors.Failure.missingTensor("nope")) { try loaded.tensor("nope") }
    }
}
