@testable import Analysis
import Testing

@Suite struct ComponentLayoutTests {
    @Test func fewComponentsSitOnPlusMinusAxes() {
        // umap-learn: vstack([I, −I]) cut to the number of components.
        #expect(ComponentLayout.axisCentres(componentCount: 3, dimension: 2) == [1, 0, 0, 1, -1, 0])
        #expect(ComponentLayout.axisCentres(componentCount: 2, dimension: 2) == [1, 0, -1, 0])
    }

    @Test func manyComponentsKeepTheirRelativeDistances() {
        // Six single points on a line: MDS puts them on a line in the same order, scaled to ±1.
        let values: [Float] = [0, 1, 2, 3, 10, 20].flatMap { [$0, 0, 0] }
        let points = MetricPoints(points: values, count: 6, dimension: 3, metric: .euclidean)
        let centres = ComponentLayout.centroidEmbedding(labels: Array(0..<6), componentCount: 6, points: points, dimension: 2)
        let xs = (0..<6).map { centres[$0 * 2] }
        #expect(xs == xs.sorted() || xs == xs.sorted(by: >))
        #expect(abs(xs.map(abs).max()! - 1) < 1e-12)
        #expect((0..<6).allSatisfy { abs(centres[$0 * 2 + 1]) < 1e-6 })
    }

    @Test func tinyComponentsGetNoiseAroundTheirCentre() {
        // Components of 3, 3 and 4 vertices: below 2·dimension + … they are placed at random.
        let graph = ConnectedComponentsTests.graph(count: 10, edges: [(0, 1), (1, 2), (3, 4), (4, 5), (6, 7), (7, 8), (8, 9)])
        let (labels, count) = graph.componentLabels()
        let points = MetricPoints(points: [Float](repeating: 0, count: 10), count: 10, dimension: 1, metric: .euclidean)
        let coordinates = ComponentLayout.coordinates(graph: graph, labels: labels, componentCount: count, points: points,
                                                      dimension: 2, seed: 1)
        let centres = ComponentLayout.axisCentres(componentCount: 3, dimension: 2)
        for vertex in 0..<10 {
            for axis in 0..<2 {
                // Half the distance between the nearest centres (√2 apart).
                #expect(abs(Double(coordinates[vertex * 2 + axis]) - centres[labels[vertex] * 2 + axis]) <= 2.squareRoot() / 2 + 1e-6)
            }
        }
    }
}
