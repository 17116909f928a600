import ModelCore

/// Central finite differences of L(x) = Σ_i r_i · f(x)_i, the loss whose output gradient is r.
///
/// Returns ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖), the usual relative error.
func gradientError(of input: Tensor, analytic: Tensor, epsilon: Float = 1e-2, loss: (Tensor) -> Double) -> Double {
    precondition(analytic.shape == input.shape, "gradient \(analytic.shape) for input \(input.shape)")
    var numeric = [Double](repeating: 0, count: input.count)
    var probe = input
    for index in 0..<input.count {
        let original = probe.values[index]
        probe.values[index] = original + epsilon
        let plus = loss(probe)
        probe.values[index] = original - epsilon
        let minus = loss(probe)
        probe.values[index] = original
        numeric[index] = (plus - minus) / (2 * Double(epsilon))
    }
    var difference = 0.0
    var analyticNorm = 0.0
    var numericNorm = 0.0
    for index in 0..<input.count {
        let a = Double(analytic.values[index])
        difference += (a - numeric[index]) * (a - numeric[index])
        analyticNorm += a * a
        numericNorm += numeric[index] * numeric[index]
    }
    return difference.squareRoot() / max(analyticNorm.squareRoot(), numericNorm.squareRoot(), 1e-12)
}

/// Σ r_i · y_i in double precision.
func weightedSum(_ output: Tensor, _ weights: Tensor) -> Double {
    zip(output.values, weights.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}
