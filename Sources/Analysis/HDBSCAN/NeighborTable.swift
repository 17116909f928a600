extension HDBSCAN {
    /// The k nearest neighbours of every point (the point itself included), nearest first.
    struct NeighborTable: Sendable {
        let k: Int
        /// `k` neighbour indices per point, row-major.
        let indices: [Int]
        /// The matching squared euclidean distances, ascending within a row.
        let squaredDistances: [Double]

        var count: Int { k == 0 ? 0 : indices.count / k }

        /// Each point's squared core distance: the squared distance to its k-th nearest point,
        /// counting itself, i.e. to its (k − 1)-th neighbour as `hdbscan` counts min_samples.
        var squaredCoreDistances: [Double] {
            (0..<count).map { squaredDistances[$0 * k + k - 1] }
        }
    }

    /// Keeps the k smallest (squared distance, index) pairs seen so far, sorted, in one row of a
    /// neighbour table; among equal distances the one offered first stays ahead.
    ///
    /// Insertion into a short sorted row beats a heap for the k of HDBSCAN (min_samples + 1, ~5–50).
    struct NearestList {
        let distances: UnsafeMutableBufferPointer<Double>
        let indices: UnsafeMutableBufferPointer<Int>

        /// Wraps one row of a neighbour table and empties it.
        init(distances: UnsafeMutableBufferPointer<Double>, indices: UnsafeMutableBufferPointer<Int>) {
            self.distances = distances
            self.indices = indices
            distances.initialize(repeating: .infinity)
            indices.initialize(repeating: -1)
        }

        /// The distance a candidate has to beat to enter the list.
        var bound: Double { distances[distances.count - 1] }

        /// Offers a candidate; it stays if it is among the k nearest so far.
        func insert(_ distance: Double, _ index: Int) {
            guard distance < bound else { return }
            var slot = distances.count - 1
            while slot > 0 && distances[slot - 1] > distance {
                distances[slot] = distances[slot - 1]
                indices[slot] = indices[slot - 1]
                slot -= 1
            }
            distances[slot] = distance
            indices[slot] = index
        }
    }
}
