import Foundation

/// A parameter tensor and the gradient accumulated for it.
public struct Parameter: Sendable {
    public var value: Tensor
    public var gradient: Tensor

    public init(_ value: Tensor) {
        self.value = value
        gradient = Tensor(zeros: value.shape)
    }
}

/// Adam, or AdamW with decoupled weight decay (Loshchilov & Hutter).
public struct Adam: Sendable {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// Decoupled decay (AdamW) applied as value −= lr·decay·value; 0 for plain Adam.
    public var weightDecay: Float
    private var firstMoments: [[Float]] = []
    private var secondMoments: [[Float]] = []
    public private(set) var step = 0

    public init(weightDecay: Float = 0) { self.weightDecay = weightDecay }

    /// One update of every parameter from its gradient, with bias-corrected moments.
    public mutating func update(_ parameters: inout [Parameter], learningRate: Float) {
        if firstMoments.isEmpty {
            firstMoments = parameters.map { [Float](repeating: 0, count: $0.value.count) }
            secondMoments = firstMoments
        }
        step += 1
        let correction1 = 1 - pow(beta1, Float(step))
        let correction2 = 1 - pow(beta2, Float(step))
        for p in parameters.indices {
            for i in 0..<parameters[p].value.count {
                let gradient = parameters[p].gradient.values[i]
                firstMoments[p][i] = beta1 * firstMoments[p][i] + (1 - beta1) * gradient
                secondMoments[p][i] = beta2 * secondMoments[p][i] + (1 - beta2) * gradient * gradient
                let update = (firstMoments[p][i] / correction1) / ((secondMoments[p][i] / correction2).squareRoot() + epsilon)
                parameters[p].value.values[i] -= learningRate * (update + weightDecay * parameters[p].value.values[i])
            }
        }
    }
}

/// Stochastic gradient descent with (PyTorch-style) momentum.
public struct SGD: Sendable {
    public var momentum: Float
    public var weightDecay: Float
    private var velocities: [[Float]] = []

    public init(momentum: Float = 0.9, weightDecay: Float = 0) {
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// v = μ·v + (g + λ·w); w −= lr·v.
    public mutating func update(_ parameters: inout [Parameter], learningRate: Float) {
        if velocities.isEmpty { velocities = parameters.map { [Float](repeating: 0, count: $0.value.count) } }
        for p in parameters.indices {
            for i in 0..<parameters[p].value.count {
                let gradient = parameters[p].gradient.values[i] + weightDecay * parameters[p].value.values[i]
                velocities[p][i] = momentum * velocities[p][i] + gradient
                parameters[p].value.values[i] -= learningRate * velocities[p][i]
            }
        }
    }
}

/// Linear warm-up to the peak rate, then cosine decay to `floor` at the last step.
public struct WarmupCosineSchedule: Sendable, Equatable {
    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var floor: Float

    public init(peak: Float, warmupSteps: Int, totalSteps: Int, floor: Float = 0) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.floor = floor
    }

    /// The rate for step `step` (0-based).
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let decaySteps = max(1, totalSteps - warmupSteps)
        let progress = min(1, Float(step - warmupSteps) / Float(decaySteps))
        return floor + (peak - floor) * 0.5 * (1 + cos(Float.pi * progress))
    }
}
