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

/// ‖x − y‖² of two rows of `dimension` floats.
///
/// Four independent eight-lane accumulators: with one, every fused multiply-add waits for the
/// previous one, and a 512-d distance took four times as long.
@inline(__always)
func squaredDistance(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, dimension: Int) -> Float {
    reduceLanes(x, y, dimension: dimension) { x, y in (x - y, x - y) }
}

/// ‖x − yᵢ‖² from x to the four rows `rows` of `base`.
///
/// Two accumulators per row, eight in all, keep the fused multiply-adds busy, and each chunk of x
/// is loaded once for four rows: separate distances load two vectors per multiply-add, this five
/// per four, which is what bounds the NN-descent join.
@inline(__always)
func squaredDistances(_ x: UnsafePointer<Float>, _ base: UnsafePointer<Float>, rows: SIMD4<Int32>, dimension: Int) -> SIMD4<Float> {
    func load(_ pointer: UnsafePointer<Float>, _ offset: Int) -> SIMD8<Float> {
        UnsafeRawPointer(pointer + offset).loadUnaligned(as: SIMD8<Float>.self)
    }
    let y0 = base + Int(rows[0]) * dimension, y1 = base + Int(rows[1]) * dimension
    let y2 = base + Int(rows[2]) * dimension, y3 = base + Int(rows[3]) * dimension
    var sums = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var more = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var index = 0
    while index + 16 <= dimension {
        let a = load(x, index), b = load(x, index + 8)
        var d = a - load(y0, index); sums.0.addProduct(d, d)
        d = a - load(y1, index); sums.1.addProduct(d, d)
        d = a - load(y2, index); sums.2.addProduct(d, d)
        d = a - load(y3, index); sums.3.addProduct(d, d)
        d = b - load(y0, index + 8); more.0.addProduct(d, d)
        d = b - load(y1, index + 8); more.1.addProduct(d, d)
        d = b - load(y2, index + 8); more.2.addProduct(d, d)
        d = b - load(y3, index + 8); more.3.addProduct(d, d)
        index += 16
    }
    var result = SIMD4((sums.0 + more.0).sum(), (sums.1 + more.1).sum(), (sums.2 + more.2).sum(), (sums.3 + more.3).sum())
    if index < dimension {
        let rest = dimension - index
        result += SIMD4(squaredDistance(x + index, y0 + index, dimension: rest), squaredDistance(x + index, y1 + index, dimension: rest),
                        squaredDistance(x + index, y2 + index, dimension: rest), squaredDistance(x + index, y3 + index, dimension: rest))
    }
    return result
}

/// x · y of two rows of `dimension` floats (accumulated as in `squaredDistance`).
@inline(__always)
func dotProduct(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, dimension: Int) -> Float {
    reduceLanes(x, y, dimension: dimension) { x, y in (x, y) }
}

/// Σᵢ uᵢ·vᵢ with (u, v) = factors(x, y), fused multiply-adds on 32 floats at a time in four
/// accumulators, then eight, then one by one.
@inline(__always)
private func reduceLanes(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, dimension: Int,
                         _ factors: (SIMD8<Float>, SIMD8<Float>) -> (SIMD8<Float>, SIMD8<Float>)) -> Float {
    func load(_ pointer: UnsafePointer<Float>, _ offset: Int) -> SIMD8<Float> {
        UnsafeRawPointer(pointer + offset).loadUnaligned(as: SIMD8<Float>.self)
    }
    func accumulate(_ sum: inout SIMD8<Float>, _ offset: Int) {
        let (u, v) = factors(load(x, offset), load(y, offset))
        sum.addProduct(u, v)
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
        let (u, v) = factors(SIMD8(repeating: x[index]), SIMD8(repeating: y[index]))
        sum += u[0] * v[0]
        index += 1
    }
    return sum
}
