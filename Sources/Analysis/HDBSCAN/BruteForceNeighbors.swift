import COpenBLAS
import ModelCore

extension HDBSCAN {
    /// Rows of the distance matrix computed per block; a block's products are `blockRows × count` doubles.
    static let bruteForceBlockRows = 256

    /// Exact k nearest neighbours (the point itself included) by comparing every pair, for inputs with
    /// too many dimensions for a k-d tree to prune. Squared distances come from one matrix product
    /// per block of rows, ‖x‖² + ‖y‖² − 2x·y, so the work is BLAS's; the selection runs on all cores.
    static func bruteForceNeighbors(points: [Double], count: Int, dimension: Int, k: Int) -> NeighborTable {
        precondition(k >= 1 && k <= count && points.count == count * dimension)
        let norms = (0..<count).map { row in
            (0..<dimension).reduce(0.0) { $0 + points[row * dimension + $1] * points[row * dimension + $1] }
        }
        var indices = [Int](repeating: 0, count: count * k)
        var distances = [Double](repeating: 0, count: count * k)
        var products = [Double](repeating: 0, count: bruteForceBlockRows * count)
        for blockStart in stride(from: 0, to: count, by: bruteForceBlockRows) {
            let rows = min(bruteForceBlockRows, count - blockStart)
            points.withUnsafeBufferPointer { points in
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(count), Int32(dimension),
                            1, points.baseAddress! + blockStart * dimension, Int32(dimension),
                            points.baseAddress!, Int32(dimension), 0, &products, Int32(count))
            }
            products.withUnsafeBufferPointer { products in
                indices.withUnsafeMutableBufferPointer { indices in
                    distances.withUnsafeMutableBufferPointer { distances in
                        let (indices, distances) = (indices, distances)
                        Parallel.forEachChunk(of: rows, minimumChunk: 16) { blockRows in
                            for blockRow in blockRows {
                                let row = blockStart + blockRow
                                let nearest = NearestList(
                                    distances: UnsafeMutableBufferPointer(rebasing: distances[(row * k)..<((row + 1) * k)]),
                                    indices: UnsafeMutableBufferPointer(rebasing: indices[(row * k)..<((row + 1) * k)]))
                                let dots = products.baseAddress! + blockRow * count
                                for other in 0..<count {
                                    // Rounding can push the expansion of a tiny distance below zero.
                                    nearest.insert(max(0, norms[row] + norms[other] - 2 * dots[other]), other)
                                }
                            }
                        }
                    }
                }
            }
        }
        return NeighborTable(k: k, indices: indices, squaredDistances: distances)
    }
}
