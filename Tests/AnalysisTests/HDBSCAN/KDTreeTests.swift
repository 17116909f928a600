@testable import Analysis
import Testing

@Suite struct KDTreeTests {
    static let points = HDBSCANTestPoints.gaussian(count: 1_000, dimension: 3, seed: 11)
    let tree = KDTree(points: points, count: 1_000, dimension: 3, leafSize: 10)

    @Test func holdsEveryPointOnceInTreeOrder() {
        #expect(tree.order.sorted() == Array(0..<1_000))
        for (position, original) in tree.order.enumerated() {
            #expect(Array(tree.points[(position * 3)..<(position * 3 + 3)]) == Array(Self.points[(original * 3)..<(original * 3 + 3)]))
        }
    }

    @Test func hasScikitLearnsShape() {
        // 1 + ⌊log2(999 / 10)⌋ = 7 levels: 127 nodes, the last 64 of them leaves of 15 or 16 points.
        #expect(tree.nodeCount == 127 && tree.firstLeaf == 63)
        for leaf in tree.firstLeaf..<tree.nodeCount { #expect((15...16).contains(tree.nodeEnd[leaf] - tree.nodeStart[leaf])) }
    }

    @Test func childrenSplitTheirParentAtTheMedianAndBoxesHoldTheirPoints() {
        for node in 0..<tree.nodeCount {
            for position in tree.nodeStart[node]..<tree.nodeEnd[node] {
                for axis in 0..<3 {
                    let value = tree.points[position * 3 + axis]
                    #expect(tree.lowerBounds[node * 3 + axis] <= value && value <= tree.upperBounds[node * 3 + axis])
                }
            }
            guard !tree.isLeaf(node) else { continue }
            let (left, right) = (2 * node + 1, 2 * node + 2)
            #expect(tree.nodeStart[left] == tree.nodeStart[node] && tree.nodeEnd[right] == tree.nodeEnd[node])
            #expect(tree.nodeEnd[left] == tree.nodeStart[right])
            #expect(tree.nodeEnd[left] == (tree.nodeStart[node] + tree.nodeEnd[node]) / 2)
            // Along some axis, the left side lies entirely below the right side.
            let separated = (0..<3).contains { tree.upperBounds[left * 3 + $0] <= tree.lowerBounds[right * 3 + $0] }
            #expect(separated)
        }
    }

    @Test func boxDistanceIsZeroInsideAndExactOutside() {
        let inside = [tree.points[0], tree.points[1], tree.points[2]]
        let outside = [tree.upperBounds[0] + 3, tree.lowerBounds[1] - 4, (tree.lowerBounds[2] + tree.upperBounds[2]) / 2]
        tree.lowerBounds.withUnsafeBufferPointer { lower in
            tree.upperBounds.withUnsafeBufferPointer { upper in
                #expect(KDTree.squaredDistance(from: inside, toBoxOf: 0, dimension: 3, lower: lower, upper: upper) == 0)
                #expect(KDTree.squaredDistance(from: outside, toBoxOf: 0, dimension: 3, lower: lower, upper: upper) == 25)
            }
        }
    }

    @Test func buildsOverIdenticalPointsAndASinglePoint() {
        let same = KDTree(points: [Double](repeating: 1, count: 200), count: 100, dimension: 2, leafSize: 4)
        #expect(same.order.sorted() == Array(0..<100))
        let single = KDTree(points: [3, 4], count: 1, dimension: 2)
        #expect(single.nodeCount == 1 && single.order == [0])
    }
}
