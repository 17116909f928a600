/// The loss a gradient-boosted regressor minimises, with the pieces boosting needs from it.
///
/// Both losses have a unit hessian, so trees are fitted to gradients alone and a node's hessian
/// sum is its sample count (scikit-learn's constant-hessian path).
public enum BoostingLoss: Sendable, Equatable, Codable {
    /// Half the squared error; leaves take the Newton step −Σg / (n + λ).
    case squaredError
    /// The absolute error; leaves are re-set to the median residual, as the gradient says little.
    case absoluteError

    /// The best constant prediction: the mean or the median of the targets.
    func baseline(targets: [Float]) -> Double {
        switch self {
        case .squaredError: targets.reduce(0.0) { $0 + Double($1) } / Double(targets.count)
        case .absoluteError: RegressionStatistics.median(of: targets.map(Double.init))
        }
    }

    /// Writes ∂loss/∂prediction for every sample into `gradients`.
    func computeGradients(targets: [Float], predictions: [Double], into gradients: inout [Float]) {
        switch self {
        case .squaredError:
            for index in targets.indices { gradients[index] = Float(predictions[index] - Double(targets[index])) }
        case .absoluteError:
            for index in targets.indices { gradients[index] = predictions[index] > Double(targets[index]) ? 1 : -1 }
        }
    }

    /// The mean loss over the samples (scikit-learn's loss value, used for early stopping).
    func meanLoss(targets: [Float], predictions: [Double]) -> Double {
        var total = 0.0
        for index in targets.indices {
            let residual = Double(targets[index]) - predictions[index]
            switch self {
            case .squaredError: total += 0.5 * residual * residual
            case .absoluteError: total += abs(residual)
            }
        }
        return total / Double(targets.count)
    }

    /// The value that replaces a leaf's Newton step, from the leaf's residuals (targets − predictions):
    /// the median for the absolute error, whose unit hessian makes the Newton step a poor guess;
    /// `nil` for the squared error, whose Newton step is already the optimum.
    func lineSearchLeafValue(residuals: @autoclosure () -> [Double]) -> Double? {
        switch self {
        case .squaredError: nil
        case .absoluteError: RegressionStatistics.median(of: residuals())
        }
    }
}
