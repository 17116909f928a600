@testable import Analysis
import ModelCore
import Testing

@Suite struct DisjointSetTests {
    @Test func unionReportsWhetherItJoinedAnything() {
        var sets = DisjointSet(count: 4)
        let joined = [sets.union(0, 1), sets.union(2, 3), sets.union(1, 0)]
        #expect(joined == [true, true, false])
        let roots = (0..<4).map { sets.find($0) }
        #expect(roots[0] == roots[1] && roots[2] == roots[3] && roots[0] != roots[2])
        let bridged = sets.union(1, 3)
        #expect(bridged)
        #expect(Set((0..<4).map { sets.find($0) }).count == 1)
    }

    @Test func agreesWithRelabellingOnRandomUnions() {
        var random = SeededRandom(seed: 4)
        var sets = DisjointSet(count: 200)
        var naive = Array(0..<200)
        for _ in 0..<150 {
            let (a, b) = (Int.random(in: 0..<200, using: &random), Int.random(in: 0..<200, using: &random))
            let (old, new) = (naive[a], naive[b])
            let joined = sets.union(a, b)
            #expect(joined == (old != new))
            naive = naive.map { $0 == old ? new : $0 }
        }
        let roots = (0..<200).map { sets.find($0) }
        for a in 0..<200 {
            for b in stride(from: 0, to: 200, by: 7) { #expect((roots[a] == roots[b]) == (naive[a] == naive[b])) }
        }
    }
}
