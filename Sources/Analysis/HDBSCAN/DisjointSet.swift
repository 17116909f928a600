/// Union–find over `0..<count` with union by rank and path halving: near-constant time per operation.
struct DisjointSet: Sendable {
    private var parent: [Int]
    private var rank: [UInt8]

    init(count: Int) {
        parent = Array(0..<count)
        rank = [UInt8](repeating: 0, count: count)
    }

    /// The representative of `element`'s set.
    mutating func find(_ element: Int) -> Int {
        var element = element
        while parent[element] != element {
            parent[element] = parent[parent[element]]
            element = parent[element]
        }
        return element
    }

    /// Merges the sets of `a` and `b`; returns false when they were already one set.
    @discardableResult
    mutating func union(_ a: Int, _ b: Int) -> Bool {
        let rootA = find(a)
        let rootB = find(b)
        guard rootA != rootB else { return false }
        if rank[rootA] < rank[rootB] {
            parent[rootA] = rootB
        } else {
            parent[rootB] = rootA
            if rank[rootA] == rank[rootB] { rank[rootA] += 1 }
        }
        return true
    }
}
