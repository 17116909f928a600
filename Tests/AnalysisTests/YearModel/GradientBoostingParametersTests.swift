@testable import Analysis
import Foundation
import Testing

@Suite struct GradientBoostingParametersTests {
    @Test func defaultsAreScikitLearns() {
        let parameters = GradientBoostingParameters()
        #expect(parameters.loss == .squaredError)
        #expect(parameters.learningRate == 0.1)
        #expect(parameters.maxIterations == 100)
        #expect(parameters.maxLeafNodes == 31)
        #expect(parameters.maxDepth == nil)
        #expect(parameters.minSamplesLeaf == 20)
        #expect(parameters.l2Regularization == 0)
        #expect(parameters.maxBins == 255)
        #expect(parameters.earlyStopping == .automatic)
        #expect(parameters.validationFraction == 0.1)
        #expect(parameters.iterationsWithoutChange == 10)
        #expect(parameters.tolerance == 1e-7)
        #expect(parameters.binningSubsample == 200_000)
    }

    @Test func automaticEarlyStoppingStartsAboveTenThousandSamples() {
        var parameters = GradientBoostingParameters()
        #expect(!parameters.usesEarlyStopping(sampleCount: 10_000))
        #expect(parameters.usesEarlyStopping(sampleCount: 10_001))
        parameters.earlyStopping = .enabled
        #expect(parameters.usesEarlyStopping(sampleCount: 10))
        parameters.earlyStopping = .disabled
        #expect(!parameters.usesEarlyStopping(sampleCount: 1_000_000))
    }

    @Test func validationNamesTheBadParameter() throws {
        try GradientBoostingParameters().validate()
        var parameters = GradientBoostingParameters()
        parameters.maxBins = 256
        #expect(throws: GradientBoostingError.invalidParameter(name: "maxBins", expected: "2...255")) { try parameters.validate() }
        parameters = GradientBoostingParameters()
        parameters.maxLeafNodes = 1
        #expect(throws: GradientBoostingError.invalidParameter(name: "maxLeafNodes", expected: ">= 2 or nil")) {
            try parameters.validate()
        }
        parameters = GradientBoostingParameters()
        parameters.validationFraction = 1
        #expect(throws: GradientBoostingError.self) { try parameters.validate() }
    }

    /// The index stores the parameters a report was made with.
    @Test func parametersRoundTripThroughJSON() throws {
        var parameters = GradientBoostingParameters()
        parameters.loss = .absoluteError
        parameters.maxDepth = 6
        parameters.earlyStopping = .enabled
        let decoded = try JSONDecoder().decode(GradientBoostingParameters.self, from: JSONEncoder().encode(parameters))
        #expect(decoded == parameters)
    }
}
