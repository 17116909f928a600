@testable import Analysis
import Testing

@Suite struct ConnectedComponentsTests {
    /// An undirected graph from edge pairs, all weights 1.
    static func graph(count: Int, edges: [(Int, Int)]) -> FuzzyGraph {
        var rows = [[Int32]](repeating: [], count: count)
        for (a, b) in edges { rows[a].append(Int32(b)); rows[b].append(Int32(a)) }
        var rowStarts = [0], columns: [Int32] = []
        for row in rows { columns += row.sorted(); rowStarts.append(columns.count) }
        return FuzzyGraph(count: count, rowStarts: rowStarts, columns: columns, weights: [Float](repeating: 1, count: columns.count))
    }

    @Test func labelsComponentsInOrderOfTheirFirstVertex() {
        let graph = Self.graph(count: 6, edges: [(0, 3), (3, 5), (1, 4)])
        let (labels, count) = graph.componentLabels()
        #expect(count == 3)
        #expect(labels == [0, 1, 2, 0, 1, 0])
    }

    @Test func subgraphKeepsOnlyInternalEdges() {
        let graph = Self.graph(count: 4, edges: [(0, 1), (1, 2), (2, 3)])
        let sub = graph.subgraph([1, 2, 3])
        #expect(sub.count == 3)
        #expect(sub.rowStarts == [0, 1, 3, 4])
        #expect(sub.columns == [1, 0, 2, 1])
    }
}
