import ModelCore

extension HDBSCAN {
    /// The minimum spanning tree of the mutual reachability graph by Borůvka's algorithm on a k-d tree,
    /// after fast_hdbscan (McInnes): every round, each point searches the tree for its nearest point
    /// in another component, skipping subtrees that lie wholly inside its own component and points
    /// whose core distance already exceeds the best edge found; each component then takes its
    /// lightest edge. The searches run on all cores.
    ///
    /// `neighbors` and `reachability` are in tree order (as `KDTree.nearestNeighbors` returns them);
    /// the edges come back in original point indices.
    ///
    /// Reproducible: each piece of the search keeps its own per-component bounds, prunes only what
    /// is strictly worse than them, and every choice among equal edges goes to the lowest tree
    /// position, so scheduling never changes the tree.
    static func boruvkaSpanningTree(tree: KDTree, neighbors: NeighborTable, reachability: MutualReachability,
                                    progress: (Double) -> Void = { _ in }) -> [Edge] {
        let count = tree.count
        var components = DisjointSet(count: count)
        var edges: [Edge] = []
        edges.reserveCapacity(max(0, count - 1))

        func join(_ candidates: [Candidate]) {
            for candidate in candidates where components.union(candidate.source, candidate.target) {
                edges.append(Edge(source: tree.order[candidate.source], target: tree.order[candidate.target],
                                  distance: candidate.squaredDistance.squareRoot()))
            }
        }
        if reachability.squaredDistanceScale <= 1 {
            join(lightestEdgesFromNeighbors(neighbors, reachability))
            progress(Double(edges.count) / Double(max(1, count - 1)))
        }
        while edges.count < count - 1 {
            let pointComponents = (0..<count).map { components.find($0) }
            let search = ComponentSearch(tree: tree, pointComponents: pointComponents, reachability: reachability)
            let found = Parallel.mapChunks(of: count, minimumChunk: 64) { search.nearestOutsideComponent(for: $0) }
            let before = edges.count
            join(lightestPerComponent(found.joined(), pointComponents))
            precondition(edges.count > before, "a Borůvka round joined no components")
            progress(Double(edges.count) / Double(count - 1))
        }
        return edges
    }

    /// The first Borůvka round for free from the k-NN table (`hdbscan` seeds its Borůvka the same
    /// way): no edge at a point weighs less than its core distance, and when α ≥ 1 its first
    /// neighbour with no larger core distance is within the core distance, so that edge weighs
    /// exactly the core distance.
    private static func lightestEdgesFromNeighbors(_ neighbors: NeighborTable, _ reachability: MutualReachability)
        -> [Candidate] {
        let cores = reachability.squaredCoreDistances
        return (0..<neighbors.count).compactMap { point in
            let row = (point * neighbors.k)..<((point + 1) * neighbors.k)
            guard let neighbor = neighbors.indices[row].first(where: { $0 != point && cores[$0] <= cores[point] }) else {
                return nil
            }
            return Candidate(squaredDistance: cores[point], source: point, target: neighbor)
        }
    }

    /// Each component's lightest candidate edge (the lowest tree position among ties), ordered by
    /// component representative.
    private static func lightestPerComponent(_ found: some Sequence<Candidate>, _ pointComponents: [Int]) -> [Candidate] {
        var best = [Candidate](repeating: Candidate(), count: pointComponents.count)
        for candidate in found where candidate.squaredDistance < best[pointComponents[candidate.source]].squaredDistance {
            best[pointComponents[candidate.source]] = candidate
        }
        return best.filter { $0.target >= 0 }
    }

    /// A point's best edge to another component: squared mutual reachability and both ends (tree positions).
    struct Candidate: Sendable {
        var squaredDistance = Double.infinity
        var source = -1
        var target = -1
    }

    /// One Borůvka round's search state: which component every point and every tree node belongs to.
    struct ComponentSearch: Sendable {
        let tree: KDTree
        let pointComponents: [Int]
        /// A node's component when all its points share one, −1 otherwise: whole subtrees drop out.
        let nodeComponents: [Int]
        let reachability: MutualReachability

        init(tree: KDTree, pointComponents: [Int], reachability: MutualReachability) {
            self.tree = tree
            self.pointComponents = pointComponents
            self.reachability = reachability
            var nodeComponents = [Int](repeating: -1, count: tree.nodeCount)
            for node in stride(from: tree.nodeCount - 1, through: 0, by: -1) {
                if tree.isLeaf(node) {
                    let range = tree.nodeStart[node]..<tree.nodeEnd[node]
                    let first = pointComponents[range.lowerBound]
                    if range.allSatisfy({ pointComponents[$0] == first }) { nodeComponents[node] = first }
                } else if nodeComponents[2 * node + 1] == nodeComponents[2 * node + 2] {
                    nodeComponents[node] = nodeComponents[2 * node + 1]
                }
            }
            self.nodeComponents = nodeComponents
        }

        /// The nearest point in another component for each point of `points` (tree positions).
        func nearestOutsideComponent(for points: Range<Int>) -> [Candidate] {
            tree.points.withUnsafeBufferPointer { coordinates in
                tree.lowerBounds.withUnsafeBufferPointer { lower in
                    tree.upperBounds.withUnsafeBufferPointer { upper in
                        reachability.squaredCoreDistances.withUnsafeBufferPointer { cores in
                            pointComponents.withUnsafeBufferPointer { pointComponents in
                                nodeComponents.withUnsafeBufferPointer { nodeComponents in
                                    let searcher = Searcher(
                                        tree: tree, coordinates: coordinates, lower: lower, upper: upper, cores: cores,
                                        pointComponents: pointComponents, nodeComponents: nodeComponents,
                                        distanceScale: reachability.squaredDistanceScale)
                                    return searcher.nearestOutsideComponent(for: points)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The per-point search of a Borůvka round over raw buffers (the hot loop of the whole clustering).
    private struct Searcher {
        let tree: KDTree
        let coordinates: UnsafeBufferPointer<Double>
        let lower: UnsafeBufferPointer<Double>
        let upper: UnsafeBufferPointer<Double>
        let cores: UnsafeBufferPointer<Double>
        let pointComponents: UnsafeBufferPointer<Int>
        let nodeComponents: UnsafeBufferPointer<Int>
        let distanceScale: Double

        func nearestOutsideComponent(for points: Range<Int>) -> [Candidate] {
            // The best edge any point of this piece has found per component bounds the others' searches.
            var componentBounds = [Double](repeating: .infinity, count: tree.count)
            return points.map { point in
                let component = pointComponents[point]
                var candidate = Candidate()
                candidate.source = point
                guard cores[point] <= componentBounds[component] else { return candidate }
                var limit = componentBounds[component]
                search(0, from: point, component, &candidate, &limit)
                componentBounds[component] = min(componentBounds[component], candidate.squaredDistance)
                return candidate
            }
        }

        /// Depth first, nearer child first. Prunes only what is strictly worse than `limit`, so an
        /// edge tying the component's best is always found, whatever the other points found before.
        private func search(_ node: Int, from point: Int, _ component: Int,
                            _ candidate: inout Candidate, _ limit: inout Double) {
            if nodeComponents[node] == component { return }
            let dimension = tree.dimension
            let origin = coordinates.baseAddress! + point * dimension
            if tree.isLeaf(node) {
                for other in tree.nodeStart[node]..<tree.nodeEnd[node]
                    where pointComponents[other] != component && cores[other] <= limit {
                    let total = HDBSCAN.squaredDistance(origin, coordinates.baseAddress! + other * dimension,
                                                        dimension: dimension)
                    let distance = max(total * distanceScale, max(cores[point], cores[other]))
                    if distance < candidate.squaredDistance {
                        candidate.squaredDistance = distance
                        candidate.target = other
                        limit = min(limit, distance)
                    }
                }
                return
            }
            let left = 2 * node + 1
            let right = left + 1
            let toLeft = KDTree.squaredDistance(from: origin, toBoxOf: left, dimension: dimension,
                                                lower: lower, upper: upper) * distanceScale
            let toRight = KDTree.squaredDistance(from: origin, toBoxOf: right, dimension: dimension,
                                                 lower: lower, upper: upper) * distanceScale
            let (near, nearDistance, far, farDistance) = toLeft <= toRight
                ? (left, toLeft, right, toRight) : (right, toRight, left, toLeft)
            // Nothing beats the point's own core distance: once an edge reaches it, stop looking.
            if nearDistance <= limit && candidate.squaredDistance > cores[point] {
                search(near, from: point, component, &candidate, &limit)
            }
            if farDistance <= limit && candidate.squaredDistance > cores[point] {
                search(far, from: point, component, &candidate, &limit)
            }
        }
    }
}
