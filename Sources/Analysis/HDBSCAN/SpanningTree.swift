extension HDBSCAN {
    /// One edge of the minimum spanning tree of the mutual reachability graph.
    struct Edge: Sendable, Equatable {
        var source: Int
        var target: Int
        /// The mutual reachability distance (not squared).
        var distance: Double
    }

    /// How the minimum spanning tree is found.
    enum SpanningTreeAlgorithm: Sendable {
        /// Prim on the implicit dense graph: O(N²·d) time, O(N) memory; best for small or
        /// high-dimensional inputs, where trees cannot prune.
        case prim
        /// Borůvka rounds of component-aware k-d tree searches: about O(N log N) in low dimensions.
        case boruvka

        /// Above this many dimensions a k-d tree barely prunes (`hdbscan` stops at 60; boxes in
        /// a UMAP embedding of 8–16 dimensions still prune well).
        static let largestTreeDimension = 16
        /// Below this many points Prim's N² is already cheaper than building and querying a tree.
        static let smallestTreeInput = 512

        /// Borůvka for many points in few dimensions, Prim otherwise.
        static func automatic(count: Int, dimension: Int) -> SpanningTreeAlgorithm {
            count >= smallestTreeInput && dimension <= largestTreeDimension ? .boruvka : .prim
        }
    }
}
