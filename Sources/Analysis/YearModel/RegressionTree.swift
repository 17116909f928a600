/// One fitted regression tree: an internal node sends a sample left when its feature value is at
/// most the node's threshold (equivalently, its bin at most the node's bin).
struct RegressionTree: Sendable {
    struct Node: Sendable {
        /// The feature an internal node tests; unused in a leaf.
        var feature = 0
        /// The last bin that goes left.
        var bin: UInt8 = 0
        /// The upper bound of `bin` in feature units, for unbinned samples.
        var threshold = 0.0
        /// Child node indices; `left < 0` marks a leaf.
        var left = -1
        var right = -1
        /// A leaf's contribution to the prediction (shrinkage included).
        var value = 0.0

        var isLeaf: Bool { left < 0 }
    }

    var nodes: [Node]

    /// The leaf value for one sample's `dimension` features at `row`.
    @inline(__always)
    func predict(row: UnsafePointer<Float>) -> Double {
        nodes.withUnsafeBufferPointer { nodes in
            var node = nodes[0]
            while !node.isLeaf {
                node = nodes[Double(row[node.feature]) <= node.threshold ? node.left : node.right]
            }
            return node.value
        }
    }

    /// The leaf value for `sample` of features binned with the thresholds the tree was grown on.
    func predict(binned: BoostingBinnedFeatures, sample: Int) -> Double {
        var node = nodes[0]
        while !node.isLeaf {
            let bin = binned.columns[node.feature * binned.count + sample]
            node = nodes[bin <= node.bin ? node.left : node.right]
        }
        return node.value
    }
}
