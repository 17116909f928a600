/// Per feature and bin, the sum of the gradients and the number of the samples of one tree node.
///
/// No hessian sums: both losses have a unit hessian, so a bin's hessian sum is its count.
/// Storage is raw memory because the features are filled from several cores at once, each
/// core touching only its own features; a histogram is reused from node to node and tree to tree.
final class GradientHistogram: @unchecked Sendable {
    let binCount: Int
    private let gradientSums: UnsafeMutablePointer<Double>
    private let counts: UnsafeMutablePointer<UInt32>

    init(dimension: Int, binCount: Int) {
        self.binCount = binCount
        gradientSums = .allocate(capacity: dimension * binCount)
        counts = .allocate(capacity: dimension * binCount)
    }

    deinit {
        gradientSums.deallocate()
        counts.deallocate()
    }

    /// The gradient sums of one feature's bins.
    func gradientSums(feature: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: gradientSums + feature * binCount, count: binCount)
    }

    /// The sample counts of one feature's bins.
    func counts(feature: Int) -> UnsafeBufferPointer<UInt32> {
        UnsafeBufferPointer(start: counts + feature * binCount, count: binCount)
    }

    /// Fills `feature` from scratch with the node's samples: `samples[i]` is a row of `column`
    /// whose gradient is `orderedGradients[i]` (gathered in node order, so this pass reads it
    /// sequentially). `samples == nil` means every row in order, as at the root.
    func accumulate(feature: Int, column: UnsafePointer<UInt8>, samples: UnsafeBufferPointer<Int32>?,
                    orderedGradients: UnsafeBufferPointer<Float>) {
        let sums = gradientSums + feature * binCount
        let binCounts = counts + feature * binCount
        sums.update(repeating: 0, count: binCount)
        binCounts.update(repeating: 0, count: binCount)
        if let samples {
            for (position, sample) in samples.enumerated() {
                let bin = Int(column[Int(sample)])
                sums[bin] += Double(orderedGradients[position])
                binCounts[bin] &+= 1
            }
        } else {
            for (row, gradient) in orderedGradients.enumerated() {
                let bin = Int(column[row])
                sums[bin] += Double(gradient)
                binCounts[bin] &+= 1
            }
        }
    }

    /// Turns this parent histogram's `feature` into the one of the child not in `sibling`:
    /// parent − sibling, which costs one pass over the bins instead of one over the samples.
    func subtract(_ sibling: GradientHistogram, feature: Int) {
        let offset = feature * binCount
        for bin in offset..<(offset + binCount) {
            gradientSums[bin] -= sibling.gradientSums[bin]
            counts[bin] &-= sibling.counts[bin]
        }
    }
}
