import ModelCore

/// The points as NN-descent reads them: 16-bit floats, in the order of the search.
///
/// The joins read rows from all over a large array, and half of their time went to waiting for
/// memory; 16-bit rows halve the bytes. The rows are first centred on their mean, which leaves
/// every distance as it was: a 16-bit float keeps about three decimal digits of each value, and
/// an offset shared by all points, much larger than their spread, would leave none for the
/// differences between them. Then they are scaled so that the largest value is 2⁸, far from both
/// ends of the format's range, and padded with zeros to a multiple of eight values.
///
/// Squared distances here are the prepared rows' times `scale`² up to rounding: good enough to
/// choose neighbours, and the chosen ones are measured again on the prepared rows at the end.
struct SearchRows: Sendable {
    let count: Int
    /// Values per stored row: the dimension rounded up to a multiple of eight.
    let rowLength: Int
    /// Row-major count × rowLength.
    let rows: [Float16]
    /// ‖row‖² of each stored row, summed in 32 bits: distances are ‖x‖² + ‖y‖² − 2 x·y, whose dot
    /// products need no subtraction before the multiply, and conversions fill the adder pipes.
    let squaredNorms: [Float]

    /// Row i holds prepared point `order[i]` (point i when `order` is nil).
    init(points: MetricPoints, order: [Int32]? = nil) {
        let count = points.count, dimension = points.dimension, rowLength = (dimension + 7) / 8 * 8
        self.count = count
        self.rowLength = rowLength
        let (mean, largest) = Self.centre(points)
        let scale: Float = largest > 0 ? 256 / largest : 1
        rows = points.rows.withUnsafeBufferPointer { source in
            [Float16](unsafeUninitializedCapacity: count * rowLength) { target, initialized in
                nonisolated(unsafe) let target = target.baseAddress!
                Parallel.forEachChunk(of: count, minimumChunk: 1024) { chunk in
                    for row in chunk {
                        let from = source.baseAddress! + Int(order?[row] ?? Int32(row)) * dimension
                        for column in 0..<rowLength {
                            let value = column < dimension ? (from[column] - mean[column]) * scale : 0
                            (target + row * rowLength + column).initialize(to: Float16(value))
                        }
                    }
                }
                initialized = count * rowLength
            }
        }
        squaredNorms = rows.withUnsafeBufferPointer { rows in
            Parallel.map(count, minimumChunk: 1024) { row in
                let start = rows.baseAddress! + row * rowLength
                return halfDotProductTile(start, start, start, start, start, start, length: rowLength)[0]
            }
        }
    }

    /// The mean row, and the largest magnitude of any value once it is subtracted.
    private static func centre(_ points: MetricPoints) -> (mean: [Float], largest: Float) {
        let count = points.count, dimension = points.dimension
        let mean = points.rows.withUnsafeBufferPointer { rows in
            let sums = Parallel.mapChunks(of: count, minimumChunk: 4096) { chunk -> [Double] in
                var sums = [Double](repeating: 0, count: dimension)
                for row in chunk {
                    for column in 0..<dimension { sums[column] += Double(rows[row * dimension + column]) }
                }
                return sums
            }
            return (0..<dimension).map { column in Float(sums.reduce(0) { $0 + $1[column] } / Double(count)) }
        }
        let largest = points.rows.withUnsafeBufferPointer { rows in
            Parallel.mapChunks(of: count, minimumChunk: 4096) { chunk -> Float in
                var largest: Float = 0
                for row in chunk {
                    for column in 0..<dimension { largest = max(largest, abs(rows[row * dimension + column] - mean[column])) }
                }
                return largest
            }.max() ?? 0
        }
        return (mean, largest)
    }

    /// ‖row i − row j‖², as the joins measure it.
    func squaredDistance(_ i: Int, _ j: Int) -> Float {
        rows.withUnsafeBufferPointer { rows in
            let a = rows.baseAddress! + i * rowLength, b = rows.baseAddress! + j * rowLength
            let dot = halfDotProductTile(a, a, a, a, b, b, length: rowLength)[0]
            return max(squaredNorms[i] + squaredNorms[j] - 2 * dot, 0)
        }
    }
}
