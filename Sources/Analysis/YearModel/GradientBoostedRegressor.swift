import ModelCore

/// A gradient-boosted ensemble of histogram regression trees, fitted like scikit-learn's
/// `HistGradientBoostingRegressor`: a constant baseline plus one shrunken tree per iteration,
/// each fitted to the gradients of the loss at the current predictions.
public struct GradientBoostedRegressor: Sendable {
    /// The parameters the model was fitted with.
    public let parameters: GradientBoostingParameters
    /// Features per sample.
    public let dimension: Int
    /// Mean training loss before the first tree and after each tree.
    public let trainingLoss: [Double]
    /// Mean validation loss likewise; empty when early stopping was off.
    public let validationLoss: [Double]
    let baseline: Double
    let trees: [RegressionTree]

    /// The number of boosting iterations run (fewer than `maxIterations` after early stopping).
    public var iterationCount: Int { trees.count }

    /// Fits a model to `count` samples of `dimension` row-major `features` and their `targets`.
    /// `progress` receives the completed fraction after every iteration, on the calling thread.
    public static func fit(features: [Float], count: Int, dimension: Int, targets: [Float],
                           parameters: GradientBoostingParameters = GradientBoostingParameters(),
                           progress: ((Double) -> Void)? = nil) throws -> GradientBoostedRegressor {
        try parameters.validate()
        let earlyStopping = parameters.usesEarlyStopping(sampleCount: count)
        try validateInputs(features: features, count: count, dimension: dimension, targets: targets,
                           minimumCount: earlyStopping ? 2 : 1)
        guard earlyStopping else {
            var booster = Booster(features: features, count: count, dimension: dimension, targets: targets,
                                  validation: nil, parameters: parameters)
            return booster.run(progress: progress)
        }
        let split = BoostingEarlyStopping.validationSplit(count: count, fraction: parameters.validationFraction, seed: parameters.seed)
        let validation = (features: BoostingRows.gather(split.validation, from: features, dimension: dimension),
                          targets: split.validation.map { targets[$0] })
        var booster = Booster(features: BoostingRows.gather(split.training, from: features, dimension: dimension),
                              count: split.training.count, dimension: dimension, targets: split.training.map { targets[$0] },
                              validation: validation, parameters: parameters)
        return booster.run(progress: progress)
    }

    /// Predictions for `count` row-major samples with the model's `dimension` features each.
    public func predict(features: [Float], count: Int) -> [Float] {
        precondition(features.count == count * dimension, "expected \(count) × \(dimension) features, got \(features.count)")
        return features.withUnsafeBufferPointer { features in
            Parallel.map(count) { row in
                let values = features.baseAddress! + row * dimension
                return Float(trees.reduce(baseline) { $0 + $1.predict(row: values) })
            }
        }
    }

    private static func validateInputs(features: [Float], count: Int, dimension: Int, targets: [Float], minimumCount: Int) throws {
        guard count >= minimumCount else { throw GradientBoostingError.tooFewSamples(count: count, required: minimumCount) }
        guard dimension >= 1, features.count == count * dimension else {
            throw GradientBoostingError.shapeMismatch("\(features.count) feature values for \(count) samples × \(dimension)")
        }
        guard targets.count == count else {
            throw GradientBoostingError.shapeMismatch("\(targets.count) targets for \(count) samples")
        }
        guard features.allSatisfy(\.isFinite) else { throw GradientBoostingError.nonFiniteValue("every feature") }
        guard targets.allSatisfy(\.isFinite) else { throw GradientBoostingError.nonFiniteValue("every target") }
    }
}

/// The boosting loop over validated training (and optional validation) data.
private struct Booster {
    let targets: [Float]
    let validation: (binned: BoostingBinnedFeatures, targets: [Float])?
    let parameters: GradientBoostingParameters
    let dimension: Int
    var grower: BoostingTreeGrower

    init(features: [Float], count: Int, dimension: Int, targets: [Float],
         validation: (features: [Float], targets: [Float])?, parameters: GradientBoostingParameters) {
        let binning = BoostingBinning(features: features, count: count, dimension: dimension, maxBins: parameters.maxBins,
                                     subsample: parameters.binningSubsample, seed: parameters.seed)
        self.targets = targets
        self.validation = validation.map { (binning.bin(features: $0.features, count: $0.targets.count), $0.targets) }
        self.parameters = parameters
        self.dimension = dimension
        grower = BoostingTreeGrower(binned: binning.bin(features: features, count: count), binning: binning, parameters: parameters)
    }

    mutating func run(progress: ((Double) -> Void)?) -> GradientBoostedRegressor {
        let loss = parameters.loss
        let baseline = loss.baseline(targets: targets)
        var predictions = [Double](repeating: baseline, count: targets.count)
        var validationPredictions = [Double](repeating: baseline, count: validation?.targets.count ?? 0)
        var gradients = [Float](repeating: 0, count: targets.count)
        var trainingLoss = [loss.meanLoss(targets: targets, predictions: predictions)]
        var validationLoss = validation.map { [loss.meanLoss(targets: $0.targets, predictions: validationPredictions)] } ?? []
        let stopping = BoostingEarlyStopping(iterationsWithoutChange: parameters.iterationsWithoutChange, tolerance: parameters.tolerance)
        var trees: [RegressionTree] = []
        for iteration in 0..<parameters.maxIterations {
            loss.computeGradients(targets: targets, predictions: predictions, into: &gradients)
            let tree = growShrunkenTree(gradients: gradients, updating: &predictions)
            trees.append(tree)
            trainingLoss.append(loss.meanLoss(targets: targets, predictions: predictions))
            var stop = false
            if let validation {
                for sample in validationPredictions.indices {
                    validationPredictions[sample] += tree.predict(binned: validation.binned, sample: sample)
                }
                validationLoss.append(loss.meanLoss(targets: validation.targets, predictions: validationPredictions))
                stop = stopping.shouldStop(losses: validationLoss)
            }
            progress?(stop ? 1 : Double(iteration + 1) / Double(parameters.maxIterations))
            if stop { break }
        }
        return GradientBoostedRegressor(parameters: parameters, dimension: dimension, trainingLoss: trainingLoss,
                                        validationLoss: validationLoss, baseline: baseline, trees: trees)
    }

    /// Grows one tree, sets its leaves to their shrunken values and adds them to the predictions of
    /// the training samples they hold (cheaper than running the samples down the tree).
    private mutating func growShrunkenTree(gradients: [Float], updating predictions: inout [Double]) -> RegressionTree {
        var grown = grower.grow(gradients: gradients)
        for leaf in grown.leaves {
            let samples = grower.partition.samples[leaf.samples]
            let step = parameters.loss.lineSearchLeafValue(residuals: samples.map { Double(targets[Int($0)]) - predictions[Int($0)] })
                ?? grown.tree.nodes[leaf.node].value
            let value = parameters.learningRate * step
            grown.tree.nodes[leaf.node].value = value
            for sample in samples { predictions[Int(sample)] += value }
        }
        return grown.tree
    }
}
