import Foundation
import TestSupport

/// The figures tools/make_umap_fixtures.py stored from umap-learn.
struct UMAPFixtures: Decodable {
    struct Curve: Decodable {
        let minDistance: Float
        let spread: Float
        let a: Float
        let b: Float
    }
    struct Mixture: Decodable {
        let count: Int
        let dimension: Int
        let clusters: Int
        let centreScale: Double
        let seed: UInt64
        let sum: Double
        let sumOfSquares: Double
        let firstRow: [Float]
        let labelCounts: [Int]
    }
    struct Run: Decodable {
        let seed: Int
        let trustworthiness: Double
        let accuracy: Double
    }
    struct Case: Decodable {
        let name: String
        let metric: String
        let count: Int
        /// Means over `runs`.
        let trustworthiness: Double
        let accuracy: Double
        let runs: [Run]
        /// umap-learn's embedding for the first seed, if kept.
        let embedding: String?
        /// Input points and labels stored as files (real data), else the mixture.
        let points: String?
        let labels: String?
    }
    let curves: [Curve]
    let mixture: Mixture
    let cases: [Case]

    static let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("umap")

    static func load() throws -> UMAPFixtures {
        try JSONDecoder().decode(UMAPFixtures.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
    }

    static func array(_ file: String) throws -> NumpyArray {
        try NumpyArray(contentsOf: folder.appendingPathComponent(file))
    }

    /// The mixture every reference case without its own points uses (generated once: the test
    /// target is built without optimisation, where a million normals take a while).
    func mixturePoints() -> GaussianMixture {
        Self.sharedMixture ?? Self.generate(mixture)
    }

    private static let sharedMixture = (try? load()).map { generate($0.mixture) }

    private static func generate(_ mixture: Mixture) -> GaussianMixture {
        GaussianMixture(count: mixture.count, dimension: mixture.dimension, clusters: mixture.clusters,
                        centreScale: mixture.centreScale, seed: mixture.seed)
    }

    /// The points (count × dimension), their dimension and labels of a case.
    func inputs(of referenceCase: Case) throws -> (points: [Float], dimension: Int, labels: [Int]) {
        if let points = referenceCase.points, let labels = referenceCase.labels {
            let array = try Self.array(points)
            return (array.values, array.shape[1], try Self.array(labels).values.map { Int($0) })
        }
        let mixture = mixturePoints()
        return (mixture.points, mixture.dimension, mixture.labels)
    }
}
