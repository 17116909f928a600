import Foundation
import ModelCore

/// Each point's distance to its nearest neighbour (ρ) and the bandwidth (σ) of its membership kernel.
struct SmoothDistances: Sendable, Equatable {
    var rho: [Float]
    var sigma: [Float]

    /// umap's smooth_knn_dist: σᵢ solves Σⱼ exp(−max(0, dᵢⱼ − ρᵢ) / σᵢ) = log2(k)·bandwidth over the
    /// k − 1 neighbours other than the point itself, by bisection (64 steps, tolerance 1e-5).
    ///
    /// σ is floored at 1e-3 × the mean neighbour distance (of the point, or of all points when ρ = 0)
    /// so that points with many equidistant neighbours keep a usable kernel.
    init(graph: NeighborGraph,
         localConnectivity: Float = UMAPParameters.localConnectivity,
         bandwidth: Float = UMAPParameters.bandwidth) {
        let k = graph.k
        let target = log2(Double(k)) * Double(bandwidth)
        let meanOfAll = graph.distances.reduce(0) { $0 + Double($1) } / Double(max(graph.distances.count, 1))
        // Each row on its own, on all cores.
        let solved = Parallel.map(graph.count, minimumChunk: 1024) { row in
            let distances = graph.distances[(row * k)..<((row + 1) * k)].map(Double.init)
            let rho = Self.nearestDistance(distances, localConnectivity: Double(localConnectivity))
            var low = 0.0, high = Double.infinity, middle = 1.0
            for _ in 0..<64 {
                var sum = 0.0
                for distance in distances.dropFirst() {
                    let excess = distance - rho
                    sum += excess > 0 ? exp(-excess / middle) : 1
                }
                if abs(sum - target) < 1e-5 { break }
                if sum > target {
                    high = middle
                    middle = (low + high) / 2
                } else {
                    low = middle
                    middle = high.isInfinite ? middle * 2 : (low + high) / 2
                }
            }
            let meanDistance = rho > 0 ? distances.reduce(0, +) / Double(k) : meanOfAll
            return (rho: Float(rho), sigma: Float(max(middle, 1e-3 * meanDistance)))
        }
        rho = solved.map(\.rho)
        sigma = solved.map(\.sigma)
    }

    /// ρ: the distance to the `localConnectivity`-th nearest point at a non-zero distance, interpolated.
    private static func nearestDistance(_ distances: [Double], localConnectivity: Double) -> Double {
        let nonZero = distances.filter { $0 > 0 }
        guard nonZero.count >= Int(localConnectivity.rounded(.down)) else { return nonZero.max() ?? 0 }
        let index = Int(localConnectivity.rounded(.down))
        let interpolation = localConnectivity - Double(index)
        guard index > 0 else { return interpolation * (nonZero.first ?? 0) }
        var rho = nonZero[index - 1]
        if interpolation > 1e-5, index < nonZero.count { rho += interpolation * (nonZero[index] - nonZero[index - 1]) }
        return rho
    }
}
