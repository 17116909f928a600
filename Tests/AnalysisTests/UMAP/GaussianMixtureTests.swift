@testable import Analysis
import Testing

/// The Swift mixture generator reproduces the points the fixture script gave umap-learn.
@Suite struct GaussianMixtureTests {
    @Test func matchesThePythonGenerator() throws {
        let fixtures = try UMAPFixtures.load()
        let mixture = fixtures.mixturePoints()
        let sum = mixture.points.reduce(0.0) { $0 + Double($1) }
        let sumOfSquares = mixture.points.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(abs(sum - fixtures.mixture.sum) < 1e-6 * fixtures.mixture.sumOfSquares)
        #expect(abs(sumOfSquares - fixtures.mixture.sumOfSquares) < 1e-9 * fixtures.mixture.sumOfSquares)
        #expect(Array(mixture.points.prefix(8)) == fixtures.mixture.firstRow)
        let counts = (0..<mixture.clusters).map { cluster in mixture.labels.filter { $0 == cluster }.count }
        #expect(counts == fixtures.mixture.labelCounts)
    }
}
