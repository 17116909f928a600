/// How a gradient-boosted regressor is trained. Every default is scikit-learn's
/// `HistGradientBoostingRegressor` default, so results can be compared with it directly.
public struct GradientBoostingParameters: Sendable, Equatable, Codable {
    /// Whether boosting holds out a validation split and stops once its loss stops improving.
    public enum EarlyStopping: Sendable, Equatable, Codable {
        /// On when there are more than `automaticEarlyStoppingMinimum` samples (scikit-learn's "auto").
        case automatic
        /// Always hold out `validationFraction` of the samples.
        case enabled
        /// Train on every sample for `maxIterations` iterations.
        case disabled
    }

    /// Above this many samples, `.automatic` early stopping switches on (scikit-learn's threshold).
    public static let automaticEarlyStoppingMinimum = 10_000

    /// The loss the trees descend.
    public var loss: BoostingLoss = .squaredError
    /// Shrinkage applied to every tree's leaf values.
    public var learningRate = 0.1
    /// The number of boosting iterations (one tree each), unless early stopping ends sooner.
    public var maxIterations = 100
    /// Leaves per tree; `nil` leaves the number unbounded.
    public var maxLeafNodes: Int? = 31
    /// Edges from the root to the deepest leaf; `nil` leaves the depth unbounded.
    public var maxDepth: Int?
    /// The fewest training samples a leaf may hold.
    public var minSamplesLeaf = 20
    /// L2 penalty on leaf values (added to every hessian sum).
    public var l2Regularization = 0.0
    /// Quantile bins per feature, at most 255 so a bin index fits in a byte.
    public var maxBins = 255
    /// Early stopping on a validation split.
    public var earlyStopping: EarlyStopping = .automatic
    /// The share of the samples held out for early stopping.
    public var validationFraction = 0.1
    /// Stop when none of this many iterations improved the validation loss by more than `tolerance`.
    public var iterationsWithoutChange = 10
    /// The smallest validation-loss decrease that counts as an improvement.
    public var tolerance = 1e-7
    /// Bin thresholds are computed from at most this many samples (drawn with replacement).
    public var binningSubsample = 200_000
    /// Seeds the validation split, the binning subsample and the cross-validation folds.
    public var seed: UInt64 = 0

    /// The defaults (scikit-learn's).
    public init() {}

    /// Whether a fit on `sampleCount` samples holds out a validation split.
    func usesEarlyStopping(sampleCount: Int) -> Bool {
        switch earlyStopping {
        case .automatic: sampleCount > Self.automaticEarlyStoppingMinimum
        case .enabled: true
        case .disabled: false
        }
    }

    /// Throws `GradientBoostingError.invalidParameter` for the first value out of its range.
    func validate() throws {
        func require(_ condition: Bool, _ name: String, _ range: String) throws {
            if !condition { throw GradientBoostingError.invalidParameter(name: name, expected: range) }
        }
        try require(learningRate > 0 && learningRate.isFinite, "learningRate", "> 0")
        try require(maxIterations >= 1, "maxIterations", ">= 1")
        try require((maxLeafNodes ?? 2) >= 2, "maxLeafNodes", ">= 2 or nil")
        try require((maxDepth ?? 1) >= 1, "maxDepth", ">= 1 or nil")
        try require(minSamplesLeaf >= 1, "minSamplesLeaf", ">= 1")
        try require(l2Regularization >= 0 && l2Regularization.isFinite, "l2Regularization", ">= 0")
        try require((2...255).contains(maxBins), "maxBins", "2...255")
        try require(validationFraction > 0 && validationFraction < 1, "validationFraction", "in (0, 1)")
        try require(iterationsWithoutChange >= 1, "iterationsWithoutChange", ">= 1")
        try require(tolerance >= 0, "tolerance", ">= 0")
        try require(binningSubsample >= 2, "binningSubsample", ">= 2")
    }
}
