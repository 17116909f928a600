@testable import Analysis
import ModelCore
import Testing

@Suite struct ExactNeighborsTests {
    /// Brute force in Double: for each point, the k nearest by (distance, index).
    static func bruteForce(_ values: [Float], count: Int, dimension: Int, k: Int, metric: UMAPMetric) -> [[Int]] {
        func distance(_ i: Int, _ j: Int) -> Double {
            let x = values[(i * dimension)..<((i + 1) * dimension)].map(Double.init)
            let y = values[(j * dimension)..<((j + 1) * dimension)].map(Double.init)
            switch metric {
            case .euclidean: return zip(x, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            case .cosine:
                let dot = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
                let norms = (x.reduce(0) { $0 + $1 * $1 } * y.reduce(0) { $0 + $1 * $1 }).squareRoot()
                return 1 - dot / norms
            }
        }
        return (0..<count).map { i in
            let row = (0..<count).map { distance(i, $0) }
            return [i] + (0..<count).filter { $0 != i }.sorted { (row[$0], $0) < (row[$1], $1) }.prefix(k - 1)
        }
    }

    static func randomPoints(count: Int, dimension: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<(count * dimension)).map { _ in random.normal() }
    }

    @Test(arguments: UMAPMetric.allCases)
    func matchesBruteForce(metric: UMAPMetric) {
        let count = 300, dimension = 20, k = 15
        let values = Self.randomPoints(count: count, dimension: dimension, seed: 3)
        let points = MetricPoints(points: values, count: count, dimension: dimension, metric: metric)
        let graph = NeighborGraph.exact(points: points, k: k)
        let expected = Self.bruteForce(values, count: count, dimension: dimension, k: k, metric: metric)
        var mismatches = 0
        for row in 0..<count where graph.indices[(row * k)..<((row + 1) * k)].map({ Int($0) }) != expected[row] { mismatches += 1 }
        // Float32 rounding may swap two nearly tied neighbours, very rarely.
        #expect(mismatches <= 2, "\(mismatches) rows differ")
        for row in 0..<count {
            let distances = Array(graph.distances[(row * k)..<((row + 1) * k)])
            #expect(distances == distances.sorted() && distances[0] == 0)
        }
    }

    @Test func duplicatesDoNotDisplaceThePointItself() {
        let values: [Float] = [1, 1, 1, 1, 1, 1, 5, 5]
        let graph = NeighborGraph.exact(points: MetricPoints(points: values, count: 4, dimension: 2, metric: .euclidean), k: 3)
        for row in 0..<4 { #expect(graph.indices[row * 3] == Int32(row)) }
        #expect(Set(graph.indices[1...2]) == [1, 2])
    }
}
