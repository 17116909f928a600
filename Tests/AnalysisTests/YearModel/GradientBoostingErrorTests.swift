@testable import Analysis
import Testing

@Suite struct GradientBoostingErrorTests {
    @Test func descriptionsSayWhatIsWrong() {
        #expect(GradientBoostingError.tooFewSamples(count: 3, required: 5).description.contains("3 samples, need at least 5"))
        #expect(GradientBoostingError.invalidParameter(name: "folds", expected: ">= 2").description.contains("folds must be >= 2"))
    }
}
