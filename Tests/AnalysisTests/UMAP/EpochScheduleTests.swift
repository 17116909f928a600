@testable import Analysis
import Testing

@Suite struct EpochScheduleTests {
    static let graph = FuzzyGraph(count: 3, rowStarts: [0, 2, 3, 4], columns: [1, 2, 0, 0], weights: [1, 0.001, 0.5, 0.001])

    @Test func pruningDropsEdgesSampledLessThanOnce() {
        let pruned = Self.graph.pruned(epochs: 500)
        #expect(pruned.rowStarts == [0, 1, 2, 2])
        #expect(pruned.columns == [1, 0])
    }

    @Test func strongestEdgeEveryEpochOthersInProportion() {
        let schedule = EpochSchedule(graph: Self.graph.pruned(epochs: 500))
        #expect(schedule.heads == [0, 1] && schedule.tails == [1, 0])
        #expect(schedule.epochsPerSample == [1, 2])
        #expect(schedule.vertexStarts == [0, 1, 2, 2])
    }
}
