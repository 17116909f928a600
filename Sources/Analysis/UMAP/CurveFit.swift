import Foundation

/// The a, b of the embedding's membership curve 1 / (1 + a·d^(2b)).
struct MembershipCurve: Equatable, Sendable {
    var a: Float
    var b: Float

    /// Fits the curve to umap's target: 1 up to `minDistance`, then exp(−(d − minDistance) / spread).
    ///
    /// umap-learn (find_ab_params) samples 300 points on [0, 3·spread] and calls scipy's curve_fit,
    /// a Levenberg–Marquardt least-squares fit from a = b = 1; this does the same.
    init(minDistance: Float, spread: Float) {
        let spread = Double(spread), minDistance = Double(minDistance)
        let xs = (0..<300).map { Double($0) * 3 * spread / 299 }
        let ys = xs.map { $0 < minDistance ? 1 : exp(-($0 - minDistance) / spread) }
        let (a, b) = Self.levenbergMarquardt(xs: xs, ys: ys)
        self.a = Float(a)
        self.b = Float(b)
    }

    init(a: Float, b: Float) {
        self.a = a
        self.b = b
    }

    private static func levenbergMarquardt(xs: [Double], ys: [Double]) -> (Double, Double) {
        var a = 1.0, b = 1.0, damping = 1e-3
        func squaredError(_ a: Double, _ b: Double) -> Double {
            zip(xs, ys).reduce(0) { sum, point in
                let residual = 1 / (1 + a * pow(point.0, 2 * b)) - point.1
                return sum + residual * residual
            }
        }
        var error = squaredError(a, b)
        for _ in 0..<200 {
            // Normal equations JᵀJ·step = −Jᵀr of the 2-parameter problem.
            var jaa = 0.0, jab = 0.0, jbb = 0.0, ga = 0.0, gb = 0.0
            for (x, y) in zip(xs, ys) where x > 0 {
                let power = pow(x, 2 * b)
                let denominator = 1 + a * power
                let residual = 1 / denominator - y
                let da = -power / (denominator * denominator)
                let db = -a * power * 2 * log(x) / (denominator * denominator)
                jaa += da * da; jab += da * db; jbb += db * db
                ga += da * residual; gb += db * residual
            }
            var improved = false
            while damping < 1e12 {
                let maa = jaa * (1 + damping), mbb = jbb * (1 + damping)
                let determinant = maa * mbb - jab * jab
                let stepA = -(mbb * ga - jab * gb) / determinant
                let stepB = -(maa * gb - jab * ga) / determinant
                let candidate = squaredError(a + stepA, b + stepB)
                if candidate.isFinite, candidate < error {
                    let relativeChange = (error - candidate) / max(error, .leastNormalMagnitude)
                    a += stepA; b += stepB; error = candidate
                    damping = max(damping / 10, 1e-12)
                    improved = relativeChange > 1e-12
                    break
                }
                damping *= 10
            }
            if !improved { break }
        }
        return (a, b)
    }
}
