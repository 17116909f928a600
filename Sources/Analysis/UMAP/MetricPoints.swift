/// Input points prepared so that every metric reduces to squared euclidean distance.
///
/// Cosine rows are normalised to unit length, where 1 − cos(x, y) = ‖x − y‖² / 2: one fast kernel
/// (and one BLAS product) serves both metrics, and only reported distances differ.
struct MetricPoints: Sendable {
    let count: Int
    let dimension: Int
    let metric: UMAPMetric
    /// Row-major count × dimension.
    let rows: [Float]
    /// ‖row‖² for the BLAS identity ‖x − y‖² = ‖x‖² + ‖y‖² − 2 x·y.
    let squaredNorms: [Float]

    init(points: [Float], count: Int, dimension: Int, metric: UMAPMetric) {
        precondition(points.count == count * dimension, "\(points.count) values for \(count) × \(dimension)")
        self.count = count
        self.dimension = dimension
        self.metric = metric
        var rows = points
        var norms = [Float](repeating: 0, count: count)
        rows.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<count {
                let slice = UnsafeMutableBufferPointer(rebasing: buffer[(row * dimension)..<((row + 1) * dimension)])
                var squared: Float = 0
                for value in slice { squared += value * value }
                // Zero vectors stay zero: their cosine distance to anything is then 1, as in scikit-learn.
                if metric == .cosine, squared > 0 {
                    let scale = 1 / squared.squareRoot()
                    for index in slice.indices { slice[index] *= scale }
                    squared = 1
                }
                norms[row] = squared
            }
        }
        self.rows = rows
        squaredNorms = norms
    }

    /// The metric's distance from a squared euclidean distance between prepared rows.
    @inline(__always)
    func distance(fromSquared squared: Float) -> Float {
        switch metric {
        case .euclidean: max(squared, 0).squareRoot()
        case .cosine: max(squared, 0) / 2
        }
    }
}

/// ‖x − y‖² of two rows of `dimension` floats: 32 floats at a time in four accumulators, then
/// eight, then one by one.
///
/// Four independent eight-lane accumulators: with one, every fused multiply-add waits for the
/// previous one, and a 512-d distance took four times as long.
@inline(__always)
func squaredDistance(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, dimension: Int) -> Float {
    @inline(__always)
    func accumulate(_ sum: inout SIMD8<Float>, _ offset: Int) {
        let difference = UnsafeRawPointer(x + offset).loadUnaligned(as: SIMD8<Float>.self)
            - UnsafeRawPointer(y + offset).loadUnaligned(as: SIMD8<Float>.self)
        sum.addProduct(difference, difference)
    }
    var sums = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var index = 0
    while index + 32 <= dimension {
        accumulate(&sums.0, index)
        accumulate(&sums.1, index + 8)
        accumulate(&sums.2, index + 16)
        accumulate(&sums.3, index + 24)
        index += 32
    }
    while index + 8 <= dimension {
        accumulate(&sums.0, index)
        index += 8
    }
    var sum = ((sums.0 + sums.1) + (sums.2 + sums.3)).sum()
    while index < dimension {
        let difference = x[index] - y[index]
        sum += difference * difference
        index += 1
    }
    return sum
}
