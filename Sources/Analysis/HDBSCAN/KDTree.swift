/// A k-d tree over a few thousand to a few million points in a handful of dimensions.
///
/// Laid out like scikit-learn's `KDTree`, which `hdbscan` uses: a complete binary tree stored in
/// arrays (the children of node `i` are `2i + 1` and `2i + 2`), every node owning a contiguous range
/// of the reordered points, split at the median of the node's widest dimension. The coordinates are
/// copied in tree order so that a leaf is one contiguous block of memory.
struct KDTree: Sendable {
    /// Leaf size used when the caller does not choose one: small leaves prune better in the
    /// component-aware searches of Borůvka, large ones cost tree depth (hdbscan's Borůvka uses 13).
    static let defaultLeafSize = 16

    let count: Int
    let dimension: Int
    /// Coordinates in tree order, `dimension` per point: row `i` is original point `order[i]`.
    let points: [Double]
    /// The original index of each point in tree order.
    let order: [Int]
    /// Each node's range of points in tree order.
    let nodeStart: [Int]
    let nodeEnd: [Int]
    /// Each node's bounding box, `dimension` values per node.
    let lowerBounds: [Double]
    let upperBounds: [Double]
    /// Nodes from this index on are leaves.
    let firstLeaf: Int

    var nodeCount: Int { nodeStart.count }

    /// Builds the tree over `count` points of `dimension` coordinates each (row-major).
    init(points source: [Double], count: Int, dimension: Int, leafSize: Int = KDTree.defaultLeafSize) {
        precondition(count >= 1 && dimension >= 1 && source.count == count * dimension && leafSize >= 1)
        self.count = count
        self.dimension = dimension
        // scikit-learn's depth rule: the fewest levels whose leaves hold at most ~leafSize points.
        var levels = 1
        while (count - 1) / leafSize >= 1 << levels { levels += 1 }
        let nodeCount = (1 << levels) - 1
        let firstLeaf = (1 << (levels - 1)) - 1
        self.firstLeaf = firstLeaf

        var order = Array(0..<count)
        var nodeStart = [Int](repeating: 0, count: nodeCount)
        var nodeEnd = [Int](repeating: count, count: nodeCount)
        var lower = [Double](repeating: 0, count: nodeCount * dimension)
        var upper = [Double](repeating: 0, count: nodeCount * dimension)
        source.withUnsafeBufferPointer { coordinates in
            for node in 0..<nodeCount {
                let range = nodeStart[node]..<nodeEnd[node]
                Self.boundingBox(of: order[range], coordinates, dimension,
                                 lower: &lower[(node * dimension)..<((node + 1) * dimension)],
                                 upper: &upper[(node * dimension)..<((node + 1) * dimension)])
                guard node < firstLeaf else { continue }
                var widest = 0
                for axis in 1..<dimension where upper[node * dimension + axis] - lower[node * dimension + axis]
                    > upper[node * dimension + widest] - lower[node * dimension + widest] { widest = axis }
                let middle = (range.lowerBound + range.upperBound) / 2
                order.withUnsafeMutableBufferPointer { indices in
                    Self.select(middle, in: indices, range, axis: widest, coordinates, dimension)
                }
                nodeStart[2 * node + 1] = range.lowerBound
                nodeEnd[2 * node + 1] = middle
                nodeStart[2 * node + 2] = middle
                nodeEnd[2 * node + 2] = range.upperBound
            }
        }
        var reordered = [Double](repeating: 0, count: count * dimension)
        for (position, original) in order.enumerated() {
            for axis in 0..<dimension { reordered[position * dimension + axis] = source[original * dimension + axis] }
        }
        self.points = reordered
        self.order = order
        self.nodeStart = nodeStart
        self.nodeEnd = nodeEnd
        lowerBounds = lower
        upperBounds = upper
    }

    func isLeaf(_ node: Int) -> Bool { node >= firstLeaf }

    /// The squared distance from `point` to the nearest point of `node`'s bounding box.
    @inline(__always)
    static func squaredDistance(from point: UnsafePointer<Double>, toBoxOf node: Int, dimension: Int,
                                lower: UnsafeBufferPointer<Double>, upper: UnsafeBufferPointer<Double>) -> Double {
        var total = 0.0
        let base = node * dimension
        for axis in 0..<dimension {
            let below = lower[base + axis] - point[axis]
            let above = point[axis] - upper[base + axis]
            let gap = max(0, max(below, above))
            total += gap * gap
        }
        return total
    }

    private static func boundingBox(of indices: ArraySlice<Int>, _ coordinates: UnsafeBufferPointer<Double>,
                                    _ dimension: Int, lower: inout ArraySlice<Double>, upper: inout ArraySlice<Double>) {
        for axis in 0..<dimension {
            lower[lower.startIndex + axis] = .infinity
            upper[upper.startIndex + axis] = -.infinity
        }
        for index in indices {
            for axis in 0..<dimension {
                let value = coordinates[index * dimension + axis]
                lower[lower.startIndex + axis] = min(lower[lower.startIndex + axis], value)
                upper[upper.startIndex + axis] = max(upper[upper.startIndex + axis], value)
            }
        }
    }

    /// Quickselect: reorders `indices[range]` so that position `target` holds the point whose
    /// coordinate on `axis` would be there in sorted order, with no larger one before it and no
    /// smaller one after it.
    private static func select(_ target: Int, in indices: UnsafeMutableBufferPointer<Int>, _ range: Range<Int>,
                               axis: Int, _ coordinates: UnsafeBufferPointer<Double>, _ dimension: Int) {
        @inline(__always) func key(_ position: Int) -> Double { coordinates[indices[position] * dimension + axis] }
        var low = range.lowerBound
        var high = range.upperBound - 1
        while low < high {
            // Median of three keeps sorted or clustered coordinates from going quadratic.
            let middle = (low + high) / 2
            if key(middle) < key(low) { indices.swapAt(middle, low) }
            if key(high) < key(low) { indices.swapAt(high, low) }
            if key(high) < key(middle) { indices.swapAt(high, middle) }
            let pivot = key(middle)
            var left = low
            var right = high
            while left <= right {
                while key(left) < pivot { left += 1 }
                while key(right) > pivot { right -= 1 }
                if left <= right {
                    indices.swapAt(left, right)
                    left += 1
                    right -= 1
                }
            }
            if target <= right { high = right } else if target >= left { low = left } else { return }
        }
    }
}
