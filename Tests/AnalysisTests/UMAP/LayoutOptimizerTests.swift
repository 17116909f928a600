@testable import Analysis
import Testing

@Suite struct LayoutOptimizerTests {
    static func optimizer(epochs: Int) -> (LayoutOptimizer, GaussianMixture) {
        let mixture = GaussianMixture(count: 400, dimension: 16, clusters: 4, centreScale: 1)
        let points = MetricPoints(points: mixture.points, count: mixture.count, dimension: 16, metric: .euclidean)
        let neighbors = NeighborGraph.exact(points: points, k: 15)
        let graph = FuzzyGraph(neighbors: neighbors, smooth: SmoothDistances(graph: neighbors)).pruned(epochs: epochs)
        // A deliberately poor start: the input's first two coordinates.
        let initial = (0..<mixture.count).flatMap { [mixture.points[$0 * 16], mixture.points[$0 * 16 + 1]] }
        let optimizer = LayoutOptimizer(initial: initial, dimension: 2, schedule: EpochSchedule(graph: graph),
                                        curve: MembershipCurve(minDistance: 0.1, spread: 1), parameters: UMAPParameters(),
                                        totalEpochs: epochs)
        return (optimizer, mixture)
    }

    @Test func advancingInStepsEqualsOneRun() {
        var stepped = Self.optimizer(epochs: 60).0
        var whole = stepped
        for steps in [1, 7, 20, 40] { stepped.advance(epochs: steps) }
        whole.advance(epochs: 60)
        #expect(stepped.epochsCompleted == 60 && whole.epochsCompleted == 60)
        #expect(stepped.embedding == whole.embedding)
    }

    @Test func layoutSeparatesTheClusters() {
        var (optimizer, mixture) = Self.optimizer(epochs: 200)
        optimizer.advance(epochs: 200)
        let embedding = optimizer.embedding
        var within = 0.0, between = 0.0, withinCount = 0, betweenCount = 0
        for i in stride(from: 0, to: mixture.count, by: 3) {
            for j in stride(from: 1, to: mixture.count, by: 7) where i != j {
                let dx = embedding[i * 2] - embedding[j * 2], dy = embedding[i * 2 + 1] - embedding[j * 2 + 1]
                let distance = Double((dx * dx + dy * dy).squareRoot())
                if mixture.labels[i] == mixture.labels[j] { within += distance; withinCount += 1 } else { between += distance; betweenCount += 1 }
            }
        }
        #expect(within / Double(withinCount) * 3 < between / Double(betweenCount))
    }
}
