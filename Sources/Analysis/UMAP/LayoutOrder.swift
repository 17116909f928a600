/// An order of the vertices in which the layout keeps them: along a Z-order (Morton) curve through
/// their starting positions.
///
/// The layout reads and moves both ends of every sampled edge. In input order an edge's tail is
/// anywhere in memory and nearly every tail was a cache miss; along the curve, neighbours in the
/// graph (close in the spectral initialisation) are mostly close in memory too, and the two shards
/// of LayoutOptimizer are two regions of the map, so fewer edges cross between them.
///
/// Returns the vertex at each position. Ties keep the input order, so the order is deterministic.
func layoutOrder(_ positions: [Float], dimension: Int) -> [Int32] {
    let count = positions.count / max(dimension, 1)
    guard count > 1 else { return (0..<Int32(count)).map { $0 } }
    // The first two axes, each quantised to 16 bits over its range.
    let axes = min(dimension, 2)
    var low = [Float](repeating: .infinity, count: axes), high = [Float](repeating: -.infinity, count: axes)
    for vertex in 0..<count {
        for axis in 0..<axes {
            low[axis] = min(low[axis], positions[vertex * dimension + axis])
            high[axis] = max(high[axis], positions[vertex * dimension + axis])
        }
    }
    let keys = (0..<count).map { vertex in
        var key: UInt64 = 0
        for axis in 0..<axes {
            let span = high[axis] - low[axis]
            let scaled = span > 0 ? (positions[vertex * dimension + axis] - low[axis]) / span * 65_535 : 0
            key |= interleavedBits(UInt64(scaled)) << UInt64(axis)
        }
        return key
    }
    return (0..<Int32(count)).sorted { (keys[Int($0)], $0) < (keys[Int($1)], $1) }
}

/// The 16 low bits of `value` spread to the even bit positions 0, 2, …, 30.
private func interleavedBits(_ value: UInt64) -> UInt64 {
    var bits = value & 0xFFFF
    bits = (bits | (bits << 8)) & 0x00FF_00FF
    bits = (bits | (bits << 4)) & 0x0F0F_0F0F
    bits = (bits | (bits << 2)) & 0x3333_3333
    bits = (bits | (bits << 1)) & 0x5555_5555
    return bits
}
