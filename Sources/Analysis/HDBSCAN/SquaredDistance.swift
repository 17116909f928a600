extension HDBSCAN {
    /// Dimensions from which the squared distance runs four SIMD lanes instead of one sum.
    static let vectorDistanceDimension = 8

    /// The squared euclidean distance of two points of `dimension` coordinates.
    ///
    /// Few dimensions are summed in order, as scikit-learn does, so low-dimensional distances round
    /// exactly like the reference's; from ``vectorDistanceDimension`` on, four independent SIMD
    /// accumulators (floating-point sums are not reassociated for us) make it several times faster.
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, dimension: Int) -> Double {
        guard dimension >= vectorDistanceDimension else {
            var total = 0.0
            for axis in 0..<dimension {
                let difference = a[axis] - b[axis]
                total += difference * difference
            }
            return total
        }
        var lanes = SIMD4<Double>.zero
        var axis = 0
        while axis + 4 <= dimension {
            let difference = UnsafeRawPointer(a + axis).loadUnaligned(as: SIMD4<Double>.self)
                - UnsafeRawPointer(b + axis).loadUnaligned(as: SIMD4<Double>.self)
            lanes += difference * difference
            axis += 4
        }
        var total = lanes.sum()
        while axis < dimension {
            let difference = a[axis] - b[axis]
            total += difference * difference
            axis += 1
        }
        return total
    }
}
