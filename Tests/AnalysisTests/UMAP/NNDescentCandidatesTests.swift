@testable import Analysis
import Testing

@Suite struct NNDescentCandidatesTests {
    static func state() -> NNDescentState {
        let mixture = GaussianMixture(count: 60, dimension: 4, clusters: 2)
        let points = MetricPoints(points: mixture.points, count: 60, dimension: 4, metric: .euclidean)
        var state = NNDescentState(points: SearchRows(points: points), k: 5)
        state.fillEmptySlots(seed: 2)
        return state
    }

    @Test func listsHoldNeighboursAndReverseNeighboursAndSampledEntriesTurnOld() {
        var state = Self.state()
        let before = state.heaps
        let candidates = state.sampleCandidates(maximum: 60, seed: 1)
        for row in 0..<60 {
            let fresh = candidates.fresh(row), old = candidates.old(row)
            #expect(old.isEmpty, "every entry starts new")
            var expected = Set<Int32>()
            for slot in (row * 5)..<((row + 1) * 5) where before.indices[slot] != Int32(row) { expected.insert(before.indices[slot]) }
            for slot in before.indices.indices where before.indices[slot] == Int32(row) && slot / 5 != row { expected.insert(Int32(slot / 5)) }
            #expect(Set(fresh) == expected)
        }
        #expect(!state.heaps.isNew.contains(true))
        // Second round: everything is old now.
        let again = state.sampleCandidates(maximum: 60, seed: 2)
        #expect((0..<60).allSatisfy { again.fresh($0).isEmpty && !again.old($0).isEmpty })
    }

    @Test func listsAreCappedAndSeeded() {
        var first = Self.state(), second = Self.state()
        let a = first.sampleCandidates(maximum: 3, seed: 5), b = second.sampleCandidates(maximum: 3, seed: 5)
        #expect((0..<60).allSatisfy { a.fresh($0).count <= 3 })
        #expect(a.members == b.members)
        #expect(first.heaps.isNew.contains(true), "entries left out of a full list stay new")
    }
}
