import ModelCore

/// Leaves of random-projection trees: groups of nearby points that seed NN-descent.
///
/// Each split takes two random points of the node and cuts along the hyperplane halfway between
/// them (pynndescent's euclidean split; cosine rows are unit vectors, where it works as well).
struct RandomProjectionForest: Sendable {
    /// Point indices, leaf after leaf, tree after tree.
    private(set) var members: [Int32] = []
    /// Start of each leaf in `members`, plus the end.
    private(set) var leafStarts: [Int] = [0]

    var leafCount: Int { leafStarts.count - 1 }

    init(points: MetricPoints, treeCount: Int, leafSize: Int, seed: UInt64) {
        let trees = Parallel.map(treeCount) { tree in
            var random = SeededRandom(seed: seed &+ UInt64(tree) &* 0x9E37_79B9_7F4A_7C15)
            return Tree(points: points, leafSize: leafSize, random: &random)
        }
        for tree in trees {
            for leaf in 0..<(tree.leafStarts.count - 1) {
                members.append(contentsOf: tree.members[tree.leafStarts[leaf]..<tree.leafStarts[leaf + 1]])
                leafStarts.append(members.count)
            }
        }
    }

    /// The points of one leaf.
    func leaf(_ index: Int) -> ArraySlice<Int32> { members[leafStarts[index]..<leafStarts[index + 1]] }
}

/// One tree, kept only as its leaves: the points permuted so that every leaf is a contiguous run.
private struct Tree {
    var members: [Int32]
    var leafStarts: [Int] = [0]

    init(points: MetricPoints, leafSize: Int, random: inout SeededRandom) {
        members = (0..<Int32(points.count)).map { $0 }
        var normal = [Float](repeating: 0, count: points.dimension)
        var pending = [(0, points.count)]
        var leaves: [(Int, Int)] = []
        while let (start, end) = pending.popLast() {
            if end - start <= leafSize {
                leaves.append((start, end))
                continue
            }
            let middle = split(start..<end, points: points, normal: &normal, random: &random)
            pending.append((middle, end))
            pending.append((start, middle))
        }
        leaves.sort { $0.0 < $1.0 }
        for (_, end) in leaves { leafStarts.append(end) }
    }

    /// Reorders `members[range]` into the two sides of a random hyperplane; returns where the second starts.
    private mutating func split(_ range: Range<Int>, points: MetricPoints, normal: inout [Float],
                                random: inout SeededRandom) -> Int {
        let dimension = points.dimension
        let first = Int(members[range.lowerBound + Int.random(in: 0..<range.count, using: &random)])
        var second = Int(members[range.lowerBound + Int.random(in: 0..<(range.count - 1), using: &random)])
        if second == first { second = Int(members[range.upperBound - 1]) }
        var middle = range.lowerBound
        points.rows.withUnsafeBufferPointer { rows in
            let x = rows.baseAddress! + first * dimension, y = rows.baseAddress! + second * dimension
            var offset: Float = 0
            for index in 0..<dimension {
                normal[index] = x[index] - y[index]
                offset -= normal[index] * (x[index] + y[index]) / 2
            }
            normal.withUnsafeBufferPointer { normal in
                members.withUnsafeMutableBufferPointer { members in
                    for position in range {
                        let row = rows.baseAddress! + Int(members[position]) * dimension
                        let margin = offset + dotProduct(row, normal.baseAddress!, dimension: dimension)
                        // Points on the plane go to a random side, as in pynndescent.
                        if margin > 0 || (margin == 0 && Bool.random(using: &random)) {
                            members.swapAt(position, middle)
                            middle += 1
                        }
                    }
                }
            }
        }
        // Identical points cannot be separated by a plane: halve the node instead.
        if middle == range.lowerBound || middle == range.upperBound { middle = range.lowerBound + range.count / 2 }
        return middle
    }
}
