@testable import Analysis
import Testing

@Suite struct EmbeddingQualityTests {
    /// umap-learn's own embedding, scored by scikit-learn in the fixture script and by us here.
    @Test(arguments: ["mixture-euclidean", "mixture-cosine"])
    func scoresAsScikitLearnDoes(caseName: String) throws {
        let fixtures = try UMAPFixtures.load()
        let referenceCase = try #require(fixtures.cases.first { $0.name == caseName })
        let embedding = try UMAPFixtures.array(try #require(referenceCase.embedding)).values
        let (points, dimension, labels) = try fixtures.inputs(of: referenceCase)
        let metric = try #require(UMAPMetric(rawValue: referenceCase.metric))
        let score = trustworthiness(original: points, originalDimension: dimension, embedding: embedding,
                                    embeddingDimension: 2, k: 15, metric: metric)
        // Float32 distances put a few near-ties in another order than scikit-learn's.
        #expect(abs(score - referenceCase.runs[0].trustworthiness) < 5e-5)
        #expect(neighborAccuracy(embedding: embedding, dimension: 2, labels: labels, k: 10) == referenceCase.runs[0].accuracy)
    }

    @Test func identicalEmbeddingIsPerfectlyTrustworthy() {
        let mixture = GaussianMixture(count: 300, dimension: 3, clusters: 3)
        #expect(abs(trustworthiness(original: mixture.points, originalDimension: 3, embedding: mixture.points,
                                    embeddingDimension: 3, k: 10) - 1) < 1e-12)
    }

    @Test func accuracyCountsMajorityVotes() {
        // Two tight groups on a line, one point mislabelled.
        let embedding: [Float] = [0, 0.1, 0.2, 0.3, 10, 10.1, 10.2, 10.3]
        let labels = [0, 0, 0, 1, 1, 1, 1, 1]
        #expect(neighborAccuracy(embedding: embedding, dimension: 1, labels: labels, k: 3) == 7.0 / 8)
    }
}
