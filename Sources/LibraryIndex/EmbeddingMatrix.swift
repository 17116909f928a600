import COpenBLAS
import DSP
import Foundation
import GRDB

/// All vectors of one model in one contiguous matrix, ready for cosine search.
///
/// Rows are prepared once at load: for models that ask for it, each dimension is z-scored
/// over the library (hand-made features have different units); then every row is scaled
/// to unit length. A query gets the same treatment, so one matrix-vector product gives
/// every cosine similarity at once.
public struct EmbeddingMatrix: Sendable {
    public let model: ModelRecord
    public let ids: [Int64]
    /// ids.count × dimension, prepared rows.
    public let matrix: Matrix
    let center: [Float]
    let scale: [Float]

    public var count: Int { ids.count }

    /// Builds from raw vectors (one per id).
    public init(model: ModelRecord, ids: [Int64], rawRows: Matrix) {
        precondition(rawRows.rows == ids.count, "one row per id")
        self.model = model
        self.ids = ids
        let dimension = rawRows.columns
        var center = [Float](repeating: 0, count: dimension)
        var scale = [Float](repeating: 1, count: dimension)
        if model.standardize, rawRows.rows > 1 {
            var mean = [Double](repeating: 0, count: dimension)
            var squares = [Double](repeating: 0, count: dimension)
            for row in 0..<rawRows.rows {
                for column in 0..<dimension {
                    let value = Double(rawRows.values[row * dimension + column])
                    mean[column] += value
                    squares[column] += value * value
                }
            }
            let count = Double(rawRows.rows)
            for column in 0..<dimension {
                let average = mean[column] / count
                let deviation = max(0, squares[column] / count - average * average).squareRoot()
                center[column] = Float(average)
                // A constant dimension carries no information; leave it at zero rather than divide by zero.
                scale[column] = deviation > 1e-9 ? Float(1 / deviation) : 0
            }
        }
        self.center = center
        self.scale = scale
        var prepared = rawRows
        prepared.values.withUnsafeMutableBufferPointer { values in
            for row in 0..<rawRows.rows {
                EmbeddingMatrix.prepare(UnsafeMutableBufferPointer(rebasing: values[(row * dimension)..<((row + 1) * dimension)]),
                                        center: center, scale: scale)
            }
        }
        matrix = prepared
    }

    /// Loads every song vector of `model` from the index, in the order of the songs' paths.
    ///
    /// Not in the order of their ids: the indexer's workers store songs as they finish them, so the
    /// same library gets other ids from run to run, and the map, whose seeded layout depends on the
    /// order of its points, came out different each time.
    public static func load(from database: LibraryDatabase, model: ModelRecord) throws -> EmbeddingMatrix {
        let (ids, values) = try database.read { db -> ([Int64], [Float]) in
            var ids: [Int64] = []
            var values: [Float] = []
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT e.song_id, e.vector FROM embeddings e JOIN songs s ON s.id = e.song_id
                WHERE e.model_id = ? AND s.status = 'ok' ORDER BY s.path
                """, arguments: [model.id])
            while let row = try cursor.next() {
                let blob: Data = row[1]
                guard blob.count == model.dimension * MemoryLayout<Float>.size else { continue }
                ids.append(row[0])
                values.append(contentsOf: VectorBlob.float32(from: blob))
            }
            return (ids, values)
        }
        return EmbeddingMatrix(model: model, ids: ids, rawRows: Matrix(rows: ids.count, columns: model.dimension, values: values))
    }

    /// A raw vector of this model, prepared like the rows.
    public func prepared(_ vector: [Float]) -> [Float] {
        precondition(vector.count == matrix.columns, "a \(vector.count)-d query for \(matrix.columns)-d vectors")
        var result = vector
        result.withUnsafeMutableBufferPointer { EmbeddingMatrix.prepare($0, center: center, scale: scale) }
        return result
    }

    public func preparedRow(of id: Int64) -> [Float]? {
        guard let row = ids.firstIndex(of: id) else { return nil }
        return Array(matrix.row(row))
    }

    /// The `k` rows most similar to a prepared query, best first, leaving out `excluded` ids.
    public func nearest(to query: [Float], k: Int, excluding excluded: Set<Int64> = []) -> [(id: Int64, score: Float)] {
        guard count > 0, k > 0 else { return [] }
        var scores = [Float](repeating: 0, count: count)
        matrix.values.withUnsafeBufferPointer { rows in
            query.withUnsafeBufferPointer { vector in
                scores.withUnsafeMutableBufferPointer { output in
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(count), Int32(matrix.columns), 1,
                                rows.baseAddress, Int32(matrix.columns), vector.baseAddress, 1, 0, output.baseAddress, 1)
                }
            }
        }
        return scores.withUnsafeBufferPointer { TopK.select(scores: $0, k: k + excluded.count) }
            .filter { !excluded.contains(ids[$0]) }
            .prefix(k)
            .map { (ids[$0], scores[$0]) }
    }

    /// The `k` nearest rows of many prepared queries at once (queries × dimension, row-major):
    /// one matrix product per block of queries instead of one matrix-vector product each.
    public func nearest(toMany queries: Matrix, k: Int) -> [[(id: Int64, score: Float)]] {
        precondition(queries.columns == matrix.columns, "queries of \(queries.columns) dimensions for \(matrix.columns)")
        guard count > 0, queries.rows > 0 else { return Array(repeating: [], count: queries.rows) }
        // Keep the score block near 64 MiB however large the library.
        let blockSize = max(1, min(queries.rows, (16 << 20) / count))
        var scores = [Float](repeating: 0, count: blockSize * count)
        var results: [[(id: Int64, score: Float)]] = []
        results.reserveCapacity(queries.rows)
        var first = 0
        while first < queries.rows {
            let rows = min(blockSize, queries.rows - first)
            matrix.values.withUnsafeBufferPointer { library in
                queries.values.withUnsafeBufferPointer { query in
                    scores.withUnsafeMutableBufferPointer { output in
                        // scores[q, n] = Σ_d query[q, d] · library[n, d]
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(count), Int32(matrix.columns),
                                    1, query.baseAddress! + first * matrix.columns, Int32(matrix.columns),
                                    library.baseAddress, Int32(matrix.columns), 0, output.baseAddress, Int32(count))
                    }
                }
            }
            scores.withUnsafeBufferPointer { all in
                for row in 0..<rows {
                    let slice = UnsafeBufferPointer(rebasing: all[(row * count)..<((row + 1) * count)])
                    results.append(TopK.select(scores: slice, k: k).map { (ids[$0], slice[$0]) })
                }
            }
            first += rows
        }
        return results
    }

    static func prepare(_ values: UnsafeMutableBufferPointer<Float>, center: [Float], scale: [Float]) {
        var squares: Float = 0
        for index in values.indices {
            values[index] = (values[index] - center[index]) * scale[index]
            squares += values[index] * values[index]
        }
        let norm = squares.squareRoot()
        guard norm > 0 else { return }
        for index in values.indices { values[index] /= norm }
    }
}

/// Indices of the k largest scores, largest first, by one pass with a small min-heap.
enum TopK {
    static func select(scores values: UnsafeBufferPointer<Float>, k: Int) -> [Int] {
        let k = min(k, values.count)
        guard k > 0 else { return [] }
        var heap: [(score: Float, index: Int)] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var smallest = left
                if left + 1 < heap.count, heap[left + 1].score < heap[left].score { smallest = left + 1 }
                guard heap[smallest].score < heap[parent].score else { return }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        func siftUp(_ start: Int) {
            var child = start
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].score < heap[parent].score else { return }
                heap.swapAt(child, parent)
                child = parent
            }
        }
        for index in 0..<values.count {
            let score = values[index]
            if heap.count < k {
                heap.append((score, index))
                siftUp(heap.count - 1)
            } else if score > heap[0].score {
                heap[0] = (score, index)
                siftDown(0)
            }
        }
        return heap.sorted { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }.map(\.index)
    }
}
