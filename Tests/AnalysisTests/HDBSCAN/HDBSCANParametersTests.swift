@testable import Analysis
import Testing

@Suite struct HDBSCANParametersTests {
    @Test func defaultsAreHDBSCANs() {
        let parameters = HDBSCANParameters()
        #expect(parameters.minClusterSize == 5 && parameters.minSamples == nil && parameters.alpha == 1)
        #expect(parameters.selectionMethod == .excessOfMass && !parameters.allowSingleCluster)
        #expect(parameters.clusterSelectionEpsilon == 0)
    }

    @Test(arguments: [(0, 5), (50, 5), (100, 5), (1_000, 16), (10_000, 50), (50_000, 112)])
    func libraryRuleGrowsWithTheSquareRoot(songs: Int, expected: Int) {
        #expect(HDBSCANParameters.recommendedMinClusterSize(songCount: songs) == expected)
        #expect(HDBSCANParameters.forLibrary(songCount: songs).minClusterSize == expected)
    }

    @Test func libraryRuleIsConfigurable() {
        #expect(HDBSCANParameters.recommendedMinClusterSize(songCount: 10_000, scale: 1) == 100)
        #expect(HDBSCANParameters.recommendedMinClusterSize(songCount: 100, minimum: 12) == 12)
    }

    @Test func minSamplesDefaultsToMinClusterSizeAndIsClampedToTheInput() {
        #expect(HDBSCANParameters(minClusterSize: 15).effectiveMinSamples(count: 1_000) == 15)
        #expect(HDBSCANParameters(minClusterSize: 15, minSamples: 4).effectiveMinSamples(count: 1_000) == 4)
        #expect(HDBSCANParameters(minClusterSize: 15).effectiveMinSamples(count: 10) == 9)
        #expect(HDBSCANParameters(minClusterSize: 15).effectiveMinSamples(count: 1) == 1)
    }
}
