@testable import Analysis
import Testing

@Suite struct SingleLinkageTreeTests {
    @Test func labelsATinyChainLikeHDBSCAN() {
        // Points at 0, 1, 3 and 7 on a line: edges of weights 2, 1, 4 given out of order.
        let edges = [HDBSCAN.Edge(source: 1, target: 2, distance: 2), HDBSCAN.Edge(source: 0, target: 1, distance: 1),
                     HDBSCAN.Edge(source: 3, target: 2, distance: 4)]
        let merges = HDBSCAN.singleLinkageTree(edges: edges, count: 4)
        // scipy rows: {0, 1} → 4 at 1; 4 (holding 1) with 2 → 5 at 2; 3 with 5 → 6 at 4.
        #expect(merges == [HDBSCAN.Merge(left: 0, right: 1, distance: 1, size: 2),
                           HDBSCAN.Merge(left: 4, right: 2, distance: 2, size: 3),
                           HDBSCAN.Merge(left: 3, right: 5, distance: 4, size: 4)])
    }

    @Test func equalWeightsKeepTheirSpanningTreeOrder() {
        let edges = [HDBSCAN.Edge(source: 2, target: 3, distance: 1), HDBSCAN.Edge(source: 0, target: 1, distance: 1),
                     HDBSCAN.Edge(source: 1, target: 2, distance: 1)]
        let merges = HDBSCAN.singleLinkageTree(edges: edges, count: 4)
        #expect(merges.map(\.left) == [2, 0, 5] && merges.map(\.right) == [3, 1, 4])
        #expect(merges.map(\.size) == [2, 2, 4])
    }

    @Test func aSinglePointHasNoMerges() {
        #expect(HDBSCAN.singleLinkageTree(edges: [], count: 1).isEmpty)
    }
}
