@testable import Analysis
import Testing

@Suite struct SpectralInitialisationTests {
    static func fuzzyGraph(_ mixture: GaussianMixture) -> (FuzzyGraph, MetricPoints) {
        let points = MetricPoints(points: mixture.points, count: mixture.count, dimension: mixture.dimension, metric: .euclidean)
        let neighbors = NeighborGraph.exact(points: points, k: 15)
        return (FuzzyGraph(neighbors: neighbors, smooth: SmoothDistances(graph: neighbors)), points)
    }

    @Test func iterativeEigenvectorsMatchADenseSolver() throws {
        let (graph, _) = Self.fuzzyGraph(GaussianMixture(count: 300, dimension: 8, clusters: 3, centreScale: 1))
        #expect(graph.componentLabels().count == 1)
        let layout = try #require(SpectralInitialisation.layout(of: graph, dimension: 2, seed: 1))
        // Dense: D^-½ W D^-½ has eigenvalue 1 for D^½·1; the next two eigenvectors are the layout.
        let adjacency = NormalisedAdjacency(graph: graph)
        let n = graph.count
        var matrix = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            for entry in graph.rowStarts[row]..<graph.rowStarts[row + 1] { matrix[row * n + Int(graph.columns[entry])] = adjacency.weights[entry] }
        }
        let (values, vectors) = symmetricEigen(matrix, size: n)
        #expect(abs(values[0] - 1) < 1e-9)
        #expect(values[2] - values[3] > 1e-3, "the test needs distinct eigenvalues")
        for column in 0..<2 {
            let cosine = (0..<n).reduce(0.0) { $0 + Double(layout[$1 * 2 + column]) * vectors[$1 * n + column + 1] }
            #expect(abs(abs(cosine) - 1) < 1e-3, "eigenvector \(column + 1): |cos| = \(abs(cosine))")
        }
    }

    @Test func coordinatesAreScaledToTen() {
        let (graph, points) = Self.fuzzyGraph(GaussianMixture(count: 200, dimension: 8, clusters: 2, centreScale: 1))
        let coordinates = SpectralInitialisation.coordinates(graph: graph, points: points, dimension: 2, seed: 3)
        let largest = coordinates.map(abs).max()!
        #expect(abs(largest - 10) < 1e-3)
    }

    @Test func disconnectedComponentsArePlacedApart() {
        // Two clusters so far apart that no neighbour crosses: two components, on either side of 0.
        let mixture = GaussianMixture(count: 200, dimension: 8, clusters: 2, centreScale: 50)
        let (graph, points) = Self.fuzzyGraph(mixture)
        #expect(graph.componentLabels().count == 2)
        let coordinates = SpectralInitialisation.coordinates(graph: graph, points: points, dimension: 2, seed: 3)
        let labels = graph.componentLabels().labels
        let first = labels.indices.filter { labels[$0] == 0 }.map { coordinates[$0 * 2] }
        let second = labels.indices.filter { labels[$0] == 1 }.map { coordinates[$0 * 2] }
        #expect(first.min()! > 0 && second.max()! < 0)
        #expect(coordinates.allSatisfy { $0.isFinite })
    }

    @Test func sameSeedSameCoordinates() {
        let (graph, points) = Self.fuzzyGraph(GaussianMixture(count: 300, dimension: 8, clusters: 3, centreScale: 1))
        #expect(SpectralInitialisation.coordinates(graph: graph, points: points, dimension: 2, seed: 7)
            == SpectralInitialisation.coordinates(graph: graph, points: points, dimension: 2, seed: 7))
    }
}
