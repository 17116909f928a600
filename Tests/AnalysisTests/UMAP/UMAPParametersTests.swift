@testable import Analysis
import Testing

@Suite struct UMAPParametersTests {
    @Test func epochsFollowUmapLearn() {
        var parameters = UMAPParameters()
        #expect(parameters.epochCount(for: 10_000) == 500)
        #expect(parameters.epochCount(for: 10_001) == 200)
        parameters.epochs = 42
        #expect(parameters.epochCount(for: 10) == 42)
    }
}
