/// Why a gradient-boosting fit or a cross-validation could not run.
public enum GradientBoostingError: Error, Equatable, CustomStringConvertible {
    /// A parameter is outside its valid range.
    case invalidParameter(name: String, expected: String)
    /// The feature buffer does not hold `count × dimension` values, or the targets are not `count` long.
    case shapeMismatch(String)
    /// A feature or target is NaN or infinite.
    case nonFiniteValue(String)
    /// Too few samples for the requested fit (for example fewer songs than cross-validation folds).
    case tooFewSamples(count: Int, required: Int)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let expected): "gradient boosting: \(name) must be \(expected)"
        case .shapeMismatch(let detail): "gradient boosting: \(detail)"
        case .nonFiniteValue(let detail): "gradient boosting: \(detail) must be finite"
        case .tooFewSamples(let count, let required): "gradient boosting: \(count) samples, need at least \(required)"
        }
    }
}
