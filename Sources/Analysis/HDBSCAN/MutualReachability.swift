extension HDBSCAN {
    /// The mutual reachability distance of HDBSCAN: max(core(a), core(b), d(a, b) / α).
    ///
    /// Everything is kept squared (the order is the same and no square root is taken per pair);
    /// spanning trees take the root of their edge weights once at the end, as `hdbscan`'s Borůvka does.
    struct MutualReachability: Sendable {
        /// Squared core distances, indexed like the points the caller measures.
        let squaredCoreDistances: [Double]
        /// 1 / α², applied to squared distances.
        let squaredDistanceScale: Double

        init(squaredCoreDistances: [Double], alpha: Double) {
            self.squaredCoreDistances = squaredCoreDistances
            squaredDistanceScale = 1 / (alpha * alpha)
        }

        /// The squared mutual reachability of `a` and `b`, whose squared distance is `squaredDistance`.
        @inline(__always)
        func squared(_ squaredDistance: Double, _ a: Int, _ b: Int) -> Double {
            max(squaredDistance * squaredDistanceScale, max(squaredCoreDistances[a], squaredCoreDistances[b]))
        }
    }
}
