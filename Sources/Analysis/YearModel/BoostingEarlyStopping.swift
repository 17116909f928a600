import ModelCore

/// Ends boosting once the validation loss has stopped improving (scikit-learn's `_should_stop`).
struct BoostingEarlyStopping {
    var iterationsWithoutChange: Int
    var tolerance: Double

    /// Whether none of the last `iterationsWithoutChange` losses is lower, by more than `tolerance`,
    /// than the loss just before them. `losses` starts with the baseline's loss, then one per tree.
    func shouldStop(losses: [Double]) -> Bool {
        guard losses.count > iterationsWithoutChange else { return false }
        let reference = losses[losses.count - iterationsWithoutChange - 1] - tolerance
        return !losses.suffix(iterationsWithoutChange).contains { $0 < reference }
    }

    /// A seeded shuffle of `0..<count` cut into training and validation samples, the validation
    /// part holding ⌈fraction × count⌉ (as `train_test_split`); both parts in ascending order.
    static func validationSplit(count: Int, fraction: Double, seed: UInt64) -> (training: [Int], validation: [Int]) {
        var random = SeededRandom(seed: seed)
        let shuffled = Array(0..<count).shuffled(using: &random)
        let validationCount = Int((fraction * Double(count)).rounded(.up))
        return (shuffled[validationCount...].sorted(), shuffled[..<validationCount].sorted())
    }
}
