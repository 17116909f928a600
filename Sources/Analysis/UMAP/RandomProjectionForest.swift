import CPrefetch
import ModelCore

/// Leaves of random-projection trees: groups of nearby points that seed NN-descent.
///
/// Each split takes two random points of the node and cuts along the hyperplane halfway between
/// them (pynndescent's euclidean split; cosine rows are unit vectors, where it works as well).
///
/// The top levels of all trees are grown together: each level reads every row once and projects it
/// onto its node's hyperplane in every tree, where growing tree by tree read the whole data set from
/// memory once per tree and level. Below `sharedLevels` a node's rows fit in the caches, and each
/// tree finishes on its own, depth first. The trees read the 16-bit rows the search reads (half the
/// bytes of every pass), in their original order.
struct RandomProjectionForest: Sendable {
    /// Point indices, leaf after leaf, tree after tree.
    private(set) var members: [Int32] = []
    /// Start of each leaf in `members`, plus the end.
    private(set) var leafStarts: [Int] = [0]
    /// The leaves of each tree, by number: a tree's leaves share no point.
    private(set) var treeLeaves: [Range<Int>] = []

    var leafCount: Int { leafStarts.count - 1 }

    /// Levels grown for all trees at once, each one pass over all the rows.
    static let sharedLevels = 7

    init(points: SearchRows, treeCount: Int, leafSize: Int, seed: UInt64) {
        let count = points.count, length = points.rowLength
        var trees = (0..<treeCount).map { tree in
            Tree(count: count, leafSize: leafSize, random: SeededRandom(seed: seed &+ UInt64(tree) &* 0x9E37_79B9_7F4A_7C15))
        }
        var planeOf = [Int32](repeating: -1, count: treeCount * count)
        var margins = [Float](repeating: 0, count: treeCount * count)
        for _ in 0..<Self.sharedLevels where trees.contains(where: { !$0.nodes.isEmpty }) {
            planeOf.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
            // All trees' hyperplanes in one block, each point's plane per tree as an index into it.
            let planes = trees.indices.flatMap { trees[$0].choosePlanes(points: points) }
            let normals = planes.flatMap(\.normal), offsets = planes.map(\.offset)
            var first = 0
            for tree in trees.indices {
                for node in trees[tree].nodes {
                    for position in node { planeOf[tree * count + Int(trees[tree].members[position])] = Int32(first) }
                    first += 1
                }
            }
            points.rows.withUnsafeBufferPointer { rows in
                normals.withUnsafeBufferPointer { normals in
                    planeOf.withUnsafeBufferPointer { planeOf in
                        margins.withUnsafeMutableBufferPointer { margins in
                            Parallel.forEachChunk(of: count, minimumChunk: 256) { chunk in
                                for row in chunk {
                                    let x = rows.baseAddress! + row * length
                                    for tree in 0..<treeCount where planeOf[tree * count + row] >= 0 {
                                        let plane = Int(planeOf[tree * count + row])
                                        margins[tree * count + row] = offsets[plane]
                                            + halfDotProduct(x, normals.baseAddress! + plane * length, length: length)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            trees = margins.withUnsafeBufferPointer { margins in
                Parallel.map(treeCount) { tree in
                    var grown = trees[tree]
                    grown.splitNodes { margins[tree * count + Int($0)] }
                    return grown
                }
            }
        }
        trees = Parallel.map(treeCount) { tree in
            var grown = trees[tree]
            grown.growDepthFirst(points: points)
            return grown
        }
        for tree in trees {
            let first = leafCount
            for leaf in tree.leaves.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                members.append(contentsOf: tree.members[leaf])
                leafStarts.append(members.count)
            }
            treeLeaves.append(first..<leafCount)
        }
    }

    /// The points of one leaf.
    func leaf(_ index: Int) -> ArraySlice<Int32> { members[leafStarts[index]..<leafStarts[index + 1]] }
}

/// The hyperplane halfway between two points, normal to their difference.
private struct Hyperplane {
    var normal: [Float]
    var offset: Float

    init(between x: UnsafePointer<Float16>, and y: UnsafePointer<Float16>, length: Int) {
        normal = (0..<length).map { Float(x[$0]) - Float(y[$0]) }
        offset = 0
        for index in 0..<length { offset -= normal[index] * (Float(x[index]) + Float(y[index])) / 2 }
    }

    func margin(of row: UnsafePointer<Float16>) -> Float {
        normal.withUnsafeBufferPointer { offset + halfDotProduct(row, $0.baseAddress!, length: $0.count) }
    }
}

/// One tree, kept only as its leaves: the points permuted so that every node is a contiguous run.
private struct Tree {
    var members: [Int32]
    let leafSize: Int
    var random: SeededRandom
    /// Nodes still to split, in order.
    var nodes: [Range<Int>] = []
    var leaves: [Range<Int>] = []

    init(count: Int, leafSize: Int, random: SeededRandom) {
        members = (0..<Int32(count)).map { $0 }
        self.leafSize = leafSize
        self.random = random
        add(0..<count)
    }

    private mutating func add(_ node: Range<Int>) {
        if node.count <= leafSize { leaves.append(node) } else { nodes.append(node) }
    }

    /// A hyperplane through each node to split, between two of its points drawn at random.
    mutating func choosePlanes(points: SearchRows) -> [Hyperplane] {
        nodes.map { plane(for: $0, points: points) }
    }

    private mutating func plane(for node: Range<Int>, points: SearchRows) -> Hyperplane {
        let length = points.rowLength
        let first = Int(members[node.lowerBound + Int.random(in: 0..<node.count, using: &random)])
        var second = Int(members[node.lowerBound + Int.random(in: 0..<(node.count - 1), using: &random)])
        if second == first { second = Int(members[node.upperBound - 1]) }
        return points.rows.withUnsafeBufferPointer { rows in
            Hyperplane(between: rows.baseAddress! + first * length, and: rows.baseAddress! + second * length, length: length)
        }
    }

    /// Splits every node by the sign of its points' margins; the halves become leaves or the next nodes.
    mutating func splitNodes(margin: (Int32) -> Float) {
        let splitting = nodes
        nodes = []
        for node in splitting {
            let middle = partition(node, margins: node.map { margin(members[$0]) })
            add(node.lowerBound..<middle)
            add(middle..<node.upperBound)
        }
    }

    /// Splits the remaining nodes to leaves, one node at a time.
    ///
    /// A node's rows lie all over the array: each is requested a few rows ahead of its margin, as
    /// reading them one after another waited on memory for every row.
    mutating func growDepthFirst(points: SearchRows) {
        let length = points.rowLength, lookahead = 4
        var margins: [Float] = []
        while let node = nodes.popLast() {
            let plane = plane(for: node, points: points)
            margins.removeAll(keepingCapacity: true)
            points.rows.withUnsafeBufferPointer { rows in
                func row(_ position: Int) -> UnsafePointer<Float16> { rows.baseAddress! + Int(members[position]) * length }
                for position in node {
                    if position + lookahead < node.upperBound {
                        soundmap_prefetch(row(position + lookahead), length * MemoryLayout<Float16>.stride)
                    }
                    margins.append(plane.margin(of: row(position)))
                }
            }
            let middle = partition(node, margins: margins)
            add(middle..<node.upperBound)
            add(node.lowerBound..<middle)
        }
    }

    /// Reorders `members[node]` into the points of positive margin, then the rest; returns where the
    /// rest start. `margins` are the members' margins in their order before the call.
    private mutating func partition(_ node: Range<Int>, margins: [Float]) -> Int {
        var middle = node.lowerBound
        // Swaps touch only places already visited, so `value` is still the margin of `members[position]`.
        for (position, value) in zip(node, margins) {
            // Points on the plane go to a random side, as in pynndescent.
            if value > 0 || (value == 0 && Bool.random(using: &random)) {
                members.swapAt(position, middle)
                middle += 1
            }
        }
        // Identical points cannot be separated by a plane: halve the node instead.
        if middle == node.lowerBound || middle == node.upperBound { middle = node.lowerBound + node.count / 2 }
        return middle
    }
}
