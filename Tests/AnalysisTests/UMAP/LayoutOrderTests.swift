@testable import Analysis
import ModelCore
import Testing

@Suite struct LayoutOrderTests {
    static func randomPositions(count: Int, dimension: Int) -> [Float] {
        var random = SeededRandom(seed: 5)
        return (0..<(count * dimension)).map { _ in Float.random(in: -10...10, using: &random) }
    }

    @Test func isAPermutationThatKeepsNeighboursClose() {
        let count = 2_000
        let positions = Self.randomPositions(count: count, dimension: 2)
        let order = layoutOrder(positions, dimension: 2)
        #expect(Set(order).count == count && order.allSatisfy { (0..<Int32(count)).contains($0) })
        func pathLength(_ vertices: [Int32]) -> Float {
            zip(vertices, vertices.dropFirst()).reduce(0) { sum, pair in
                let dx = positions[Int(pair.0) * 2] - positions[Int(pair.1) * 2]
                let dy = positions[Int(pair.0) * 2 + 1] - positions[Int(pair.1) * 2 + 1]
                return sum + (dx * dx + dy * dy).squareRoot()
            }
        }
        // Consecutive vertices along the curve are near each other; in input order they are random pairs.
        #expect(pathLength(order) * 10 < pathLength((0..<Int32(count)).map { $0 }))
    }

    @Test func higherDimensionsAndCoincidentPointsKeepInputOrder() {
        let order = layoutOrder([Float](repeating: 1, count: 5 * 8), dimension: 8)
        #expect(order == [0, 1, 2, 3, 4])
    }
}
