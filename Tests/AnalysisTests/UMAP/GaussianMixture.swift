import Foundation

/// The synthetic test data of tools/make_umap_fixtures.py, generated bit for bit the same way here
/// so that only the expected figures, not 4 MB of points, are stored.
///
/// Every random number is SplitMix64 at a counter (the n-th draw of stream s is mix(s + n·γ)), turned
/// into a uniform (top 53 bits) and pairs of uniforms into normals (Box–Muller, cosine branch):
/// numpy computes the same values vectorised.
struct GaussianMixture {
    let count: Int
    let dimension: Int
    let clusters: Int
    /// Row-major count × dimension.
    let points: [Float]
    let labels: [Int]

    init(count: Int, dimension: Int = 512, clusters: Int = 20, centreScale: Double = 0.3, seed: UInt64 = 7) {
        self.count = count
        self.dimension = dimension
        self.clusters = clusters
        let centres = Self.normals(stream: seed &* 3 &+ 1, count: clusters * dimension).map { $0 * centreScale }
        labels = (0..<count).map { Int(Self.draw(stream: seed &* 3 &+ 2, index: UInt64($0)) % UInt64(clusters)) }
        let noise = Self.normals(stream: seed &* 3 &+ 3, count: count * dimension)
        var points = [Float](repeating: 0, count: count * dimension)
        for row in 0..<count {
            for axis in 0..<dimension {
                points[row * dimension + axis] = Float(centres[labels[row] * dimension + axis] + noise[row * dimension + axis])
            }
        }
        self.points = points
    }

    /// The `index`-th (from 0) SplitMix64 output of a stream.
    static func draw(stream: UInt64, index: UInt64) -> UInt64 {
        var z = stream &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func normals(stream: UInt64, count: Int) -> [Double] {
        (0..<UInt64(count)).map { index in
            let u = Double(draw(stream: stream, index: 2 * index) >> 11) * 0x1p-53
            let v = Double(draw(stream: stream, index: 2 * index + 1) >> 11) * 0x1p-53
            return (-2 * log(1 - u)).squareRoot() * cos(2 * Double.pi * v)
        }
    }
}
