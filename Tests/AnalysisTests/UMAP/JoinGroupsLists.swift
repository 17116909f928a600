@testable import Analysis

/// Join groups written out in tests as (new, old) lists, and read back the same way.
extension JoinGroups {
    init(lists: some Sequence<([Int32], [Int32])>) {
        var members: [Int32] = [], starts: [Int] = [], freshEnds: [Int] = [], ends: [Int] = []
        for (fresh, old) in lists {
            starts.append(members.count)
            members += fresh
            freshEnds.append(members.count)
            members += old
            ends.append(members.count)
        }
        self.init(members: members, starts: starts, freshEnds: freshEnds, ends: ends)
    }

    func fresh(_ group: Int) -> ArraySlice<Int32> { members[starts[group]..<freshEnds[group]] }
    func old(_ group: Int) -> ArraySlice<Int32> { members[freshEnds[group]..<ends[group]] }
}
