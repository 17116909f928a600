extension HDBSCAN {
    /// One merge of a single-linkage dendrogram, a row of scipy's linkage matrix: clusters `left` and
    /// `right` join at `distance` into a cluster of `size` points. Points are `0..<n`; the cluster made
    /// by merge `i` is `n + i`.
    struct Merge: Sendable, Equatable {
        var left: Int
        var right: Int
        var distance: Double
        var size: Int
    }

    /// The single-linkage dendrogram of a minimum spanning tree: its edges sorted by weight (ties
    /// keep their spanning-tree order) and joined with a union–find that names every new cluster,
    /// as `hdbscan`'s `label` does.
    static func singleLinkageTree(edges: [Edge], count: Int) -> [Merge] {
        precondition(edges.count == max(0, count - 1), "a spanning tree of \(count) points has \(count - 1) edges")
        let sorted = edges.enumerated().sorted { ($0.element.distance, $0.offset) < ($1.element.distance, $1.offset) }
        // parent[x] is the cluster x was merged into, −1 while x is a root; clusters count from `count`.
        var parent = [Int](repeating: -1, count: max(0, 2 * count - 1))
        var size = [Int](repeating: 1, count: count) + [Int](repeating: 0, count: max(0, count - 1))
        func root(of node: Int) -> Int {
            var top = node
            while parent[top] != -1 { top = parent[top] }
            var walker = node
            while walker != top {
                let next = parent[walker]
                parent[walker] = top
                walker = next
            }
            return top
        }
        return sorted.enumerated().map { step, entry in
            let left = root(of: entry.element.source)
            let right = root(of: entry.element.target)
            let merged = count + step
            size[merged] = size[left] + size[right]
            parent[left] = merged
            parent[right] = merged
            return Merge(left: left, right: right, distance: entry.element.distance, size: size[merged])
        }
    }
}
