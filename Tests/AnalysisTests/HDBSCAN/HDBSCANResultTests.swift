@testable import Analysis
import Testing

@Suite struct HDBSCANResultTests {
    @Test func countsClustersAndNoise() {
        let result = HDBSCANResult(labels: [0, -1, 1, 1, -1], probabilities: [1, 0, 0.5, 1, 0],
                                   outlierScores: [0, 0.9, 0.2, 0, 0.8], clusterStabilities: [0.4, 0.7])
        #expect(result.clusterCount == 2 && result.noiseCount == 2)
    }

    @Test func spreadsASubsetBackAmongNoise() {
        let subset = HDBSCANResult(labels: [1, 0], probabilities: [0.5, 1], outlierScores: [0.2, 0], clusterStabilities: [0.3, 0.6])
        let spread = subset.spread(over: 4, rows: [3, 1])
        #expect(spread.labels == [-1, 0, -1, 1])
        #expect(spread.probabilities == [0, 1, 0, 0.5])
        #expect(spread.outlierScores == [1, 0, 1, 0.2])
        #expect(spread.clusterStabilities == [0.3, 0.6])
    }

    @Test func allNoiseHasNoClusters() {
        let result = HDBSCANResult.allNoise(count: 3)
        #expect(result.labels == [-1, -1, -1] && result.probabilities == [0, 0, 0] && result.outlierScores == [0, 0, 0])
        #expect(result.clusterCount == 0 && result.noiseCount == 3)
    }
}
