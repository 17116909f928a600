@testable import Analysis
import Testing

@Suite struct SpanningTreeTests {
    @Test func borůvkaForManyPointsInFewDimensionsPrimOtherwise() {
        #expect(HDBSCAN.SpanningTreeAlgorithm.automatic(count: 50_000, dimension: 2) == .boruvka)
        #expect(HDBSCAN.SpanningTreeAlgorithm.automatic(count: 5_000, dimension: 16) == .boruvka)
        #expect(HDBSCAN.SpanningTreeAlgorithm.automatic(count: 5_000, dimension: 17) == .prim)
        #expect(HDBSCAN.SpanningTreeAlgorithm.automatic(count: 100, dimension: 2) == .prim)
    }
}
