import ModelCore

/// The points as NN-descent reads them: 16-bit floats. The trees read them in the points' order,
/// the joins in an order of their own (`reordered`).
///
/// The joins read rows from all over a large array, and half of their time went to waiting for
/// memory; 16-bit rows halve the bytes. The rows are first centred on their mean, which leaves
/// every distance as it was: a 16-bit float keeps about three decimal digits of each value, and
/// an offset shared by all points, much larger than their spread, would leave none for the
/// differences between them. Then they are scaled so that the largest value is 2⁸, far from both
/// ends of the format's range, and padded with zeros to a multiple of eight values.
///
/// Squared distances here are the prepared rows' times the square of that scale, up to rounding:
/// good enough to choose neighbours, and the chosen ones are measured again on the prepared rows.
struct SearchRows: Sendable {
    let count: Int
    /// Values per stored row: the dimension rounded up to a multiple of eight.
    let rowLength: Int
    /// Row-major count × rowLength.
    let rows: [Float16]
    /// ‖row‖² of each stored row, summed in 32 bits. Distances are ‖x‖² + ‖y‖² − 2 x·y: a dot product
    /// needs no subtraction before each multiply, which leaves the adder pipes to the widening loads.
    let squaredNorms: [Float]

    private init(count: Int, rowLength: Int, rows: [Float16], squaredNorms: [Float]) {
        (self.count, self.rowLength, self.rows, self.squaredNorms) = (count, rowLength, rows, squaredNorms)
    }

    init(points: MetricPoints) {
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
                        let from = source.baseAddress! + row * dimension
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
                // Lane 0 of a tile whose rows are all this one: the joins' own arithmetic.
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

extension SearchRows {
    /// The same rows with row i taken from row `order[i]`.
    func reordered(_ order: [Int32]) -> SearchRows {
        let rowLength = self.rowLength
        let rows = self.rows.withUnsafeBufferPointer { source in
            [Float16](unsafeUninitializedCapacity: count * rowLength) { target, initialized in
                nonisolated(unsafe) let target = target.baseAddress!
                Parallel.forEachChunk(of: count, minimumChunk: 1024) { chunk in
                    for row in chunk {
                        (target + row * rowLength).initialize(from: source.baseAddress! + Int(order[row]) * rowLength, count: rowLength)
                    }
                }
                initialized = count * rowLength
            }
        }
        return SearchRows(count: count, rowLength: rowLength, rows: rows, squaredNorms: order.map { squaredNorms[Int($0)] })
    }
}

/// x · y of a 16-bit row and a 32-bit one, `length` a multiple of eight: a row's margin from a
/// hyperplane in the random-projection trees.
@inline(__always)
func halfDotProduct(_ x: UnsafePointer<Float16>, _ y: UnsafePointer<Float>, length: Int) -> Float {
    var sums = (SIMD8<Float>(), SIMD8<Float>())
    var index = 0
    @inline(__always)
    func accumulate(_ sum: inout SIMD8<Float>, _ offset: Int) {
        sum.addProduct(widened(x + offset), UnsafeRawPointer(y + offset).loadUnaligned(as: SIMD8<Float>.self))
    }
    while index + 16 <= length {
        accumulate(&sums.0, index)
        accumulate(&sums.1, index + 8)
        index &+= 16
    }
    if index < length { accumulate(&sums.0, index) }
    return (sums.0 + sums.1).sum()
}

/// Eight 16-bit floats as 32-bit ones. Lane by lane, which the compiler fuses into one conversion
/// (vcvtph2ps): the generic SIMD conversion stayed a call.
@inline(__always)
func widened(_ pointer: UnsafePointer<Float16>) -> SIMD8<Float> {
    let h = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float16>.self)
    return SIMD8(Float(h[0]), Float(h[1]), Float(h[2]), Float(h[3]), Float(h[4]), Float(h[5]), Float(h[6]), Float(h[7]))
}
