extension HDBSCAN.CondensedTree {
    /// The density at which each cluster appears (indexed by cluster − root; 0 for the root).
    var births: [Double] {
        var births = [Double](repeating: 0, count: clusterCount)
        for row in rows where row.child >= root { births[row.child - root] = row.lambda }
        return births
    }

    /// The densest λ at which anything leaves each cluster (indexed by cluster − root), `hdbscan`'s
    /// `max_lambdas`: the death of the cluster.
    var deaths: [Double] {
        var deaths = [Double](repeating: 0, count: clusterCount)
        for row in rows { deaths[row.parent - root] = max(deaths[row.parent - root], row.lambda) }
        return deaths
    }

    /// Each cluster's stability (excess of mass), Σ over what leaves it of (λ_leave − λ_birth) · size,
    /// indexed by cluster − root.
    var stabilities: [Double] {
        let births = births
        var stabilities = [Double](repeating: 0, count: clusterCount)
        for row in rows {
            stabilities[row.parent - root] += (row.lambda - births[row.parent - root]) * Double(row.childSize)
        }
        return stabilities
    }

    /// The clusters that split off each cluster (indexed by cluster − root), in row order.
    var childClusters: [[Int]] {
        var children = [[Int]](repeating: [], count: clusterCount)
        for row in rows where row.child >= root { children[row.parent - root].append(row.child) }
        return children
    }
}
