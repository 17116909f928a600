/// Hierarchical density-based clustering (Campello, Moulavi & Sander 2013), faithful to the
/// `hdbscan` Python package (McInnes, Healy & Astels) with Euclidean distances.
///
/// The steps, one file each: core distances (``KDTree`` k-NN in few dimensions, BLAS brute force
/// otherwise), mutual reachability, its minimum spanning tree (Borůvka on the k-d tree for many
/// points in few dimensions, Prim otherwise), the single-linkage tree, the condensed tree,
/// stabilities, selection, labels, membership probabilities and GLOSH outlier scores.
public enum HDBSCAN {
    /// Clusters `count` points of `dimension` coordinates each (row-major in `points`).
    ///
    /// Points with a NaN or infinite coordinate are left out and labelled noise, as `hdbscan` does.
    /// Deterministic: the same input gives the same result on any number of cores. `progress`
    /// receives fractions of the work done, on the calling thread.
    public static func cluster(points: [Float], count: Int, dimension: Int,
                               parameters: HDBSCANParameters = HDBSCANParameters(),
                               progress: (Double) -> Void = { _ in }) -> HDBSCANResult {
        cluster(points: points, count: count, dimension: dimension, parameters: parameters,
                spanningTree: .automatic(count: count, dimension: dimension), progress: progress)
    }

    /// Shares of the progress bar: neighbours, spanning tree, the rest (the tree dominates).
    private static let neighborShare = 0.15
    private static let spanningTreeShare = 0.8

    /// ``cluster(points:count:dimension:parameters:progress:)`` with the spanning-tree algorithm chosen.
    static func cluster(points: [Float], count: Int, dimension: Int, parameters: HDBSCANParameters,
                        spanningTree algorithm: SpanningTreeAlgorithm,
                        progress: (Double) -> Void = { _ in }) -> HDBSCANResult {
        precondition(dimension >= 1 && points.count == count * dimension, "\(points.count) values for \(count) × \(dimension)")
        let finiteRows = (0..<count).filter { row in
            points[(row * dimension)..<((row + 1) * dimension)].allSatisfy(\.isFinite)
        }
        guard finiteRows.count == count else {
            let finitePoints = finiteRows.flatMap { points[($0 * dimension)..<(($0 + 1) * dimension)] }
            return cluster(points: finitePoints, count: finiteRows.count, dimension: dimension, parameters: parameters,
                           spanningTree: algorithm, progress: progress).spread(over: count, rows: finiteRows)
        }
        guard count >= 2 else { return .allNoise(count: count) }
        let coordinates = points.map(Double.init)
        let k = parameters.effectiveMinSamples(count: count) + 1
        let useTree = dimension <= SpanningTreeAlgorithm.largestTreeDimension || algorithm == .boruvka
        let tree = useTree ? KDTree(points: coordinates, count: count, dimension: dimension) : nil
        // The k-d tree answers in tree order, which Borůvka keeps; Prim works in original order.
        let neighbors = tree?.nearestNeighbors(k: k)
            ?? bruteForceNeighbors(points: coordinates, count: count, dimension: dimension, k: k)
        progress(neighborShare)

        let treeProgress = { (fraction: Double) in progress(neighborShare + spanningTreeShare * fraction) }
        let edges: [Edge]
        if let tree, algorithm == .boruvka {
            edges = boruvkaSpanningTree(
                tree: tree, neighbors: neighbors,
                reachability: MutualReachability(squaredCoreDistances: neighbors.squaredCoreDistances, alpha: parameters.alpha),
                progress: treeProgress)
        } else {
            let inNeighborOrder = neighbors.squaredCoreDistances
            var squaredCores = inNeighborOrder
            if let tree {
                for (position, index) in tree.order.enumerated() { squaredCores[index] = inNeighborOrder[position] }
            }
            edges = primSpanningTree(
                points: coordinates, count: count, dimension: dimension,
                reachability: MutualReachability(squaredCoreDistances: squaredCores, alpha: parameters.alpha),
                progress: treeProgress)
        }

        let condensed = CondensedTree(merges: singleLinkageTree(edges: edges, count: count),
                                      minClusterSize: parameters.minClusterSize)
        let selection = condensed.selectClusters(parameters: parameters)
        let labels = condensed.labels(selected: selection.clusters, parameters: parameters)
        let result = HDBSCANResult(
            labels: labels,
            probabilities: condensed.membershipProbabilities(labels: labels, selected: selection.clusters).map(Float.init),
            outlierScores: condensed.outlierScores.map(Float.init),
            clusterStabilities: condensed.persistences(labels: labels, selected: selection.clusters,
                                                       stabilities: selection.stabilities).map(Float.init))
        progress(1)
        return result
    }
}
