import COpenBLAS
import ModelCore

extension NeighborGraph {
    /// Exact k nearest neighbours: squared distances from BLAS, then a top-k heap per row.
    ///
    /// O(count² · dimension); umap-learn takes this road below 4,096 points.
    static func exact(points: MetricPoints, k: Int, progress: (Double) -> Void = { _ in }) -> NeighborGraph {
        let k = min(k, points.count)
        var heaps = NeighborHeaps(count: points.count, k: k)
        heaps.withPointers { indices, distances, _ in
            points.forEachSquaredDistanceRow(progress: progress) { row, squared in
                let indices = indices + row * k, distances = distances + row * k
                // Self goes in first at −∞ so that duplicates of the point cannot displace it.
                pushNeighbor(Int32(row), distance: -.infinity, isNew: false, k: k, indices: indices, distances: distances, flags: nil)
                for other in 0..<points.count where squared[other] < distances[0] && other != row {
                    pushNeighbor(Int32(other), distance: squared[other], isNew: false, k: k,
                                 indices: indices, distances: distances, flags: nil)
                }
            }
        }
        return heaps.finished(points: points)
    }
}

extension MetricPoints {
    /// Calls `body` with every row's squared distances to all rows (in order, clamped at 0), rows in
    /// parallel: blocks of rows take one sgemm each, ‖x − y‖² = ‖x‖² + ‖y‖² − 2 x·y.
    func forEachSquaredDistanceRow(progress: (Double) -> Void = { _ in },
                                   _ body: (_ row: Int, _ squared: UnsafeMutablePointer<Float>) -> Void) {
        let blockRows = max(1, min(count, (1 << 22) / count))
        var products = [Float](repeating: 0, count: blockRows * count)
        rows.withUnsafeBufferPointer { rows in
            products.withUnsafeMutableBufferPointer { products in
                for first in stride(from: 0, to: count, by: blockRows) {
                    let rowsInBlock = min(blockRows, count - first)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rowsInBlock), Int32(count), Int32(dimension),
                                1, rows.baseAddress! + first * dimension, Int32(dimension), rows.baseAddress!, Int32(dimension),
                                0, products.baseAddress!, Int32(count))
                    squaredNorms.withUnsafeBufferPointer { norms in
                        Parallel.forEachChunk(of: rowsInBlock) { offsets in
                            for offset in offsets {
                                let row = first + offset, squared = products.baseAddress! + offset * count
                                let own = norms[row]
                                for other in 0..<count { squared[other] = max(own + norms[other] - 2 * squared[other], 0) }
                                body(row, squared)
                            }
                        }
                    }
                    progress(Double(first + rowsInBlock) / Double(count))
                }
            }
        }
    }
}
