@testable import Analysis
import Foundation
import ModelCore
import Testing

@Suite struct ReleaseYearModelTests {
    /// Out-of-fold MAE within 5 % of scikit-learn's with the same folds and parameters; the models
    /// are scikit-learn's own, so each song's prediction agrees to float32 rounding too.
    @Test func outOfFoldErrorMatchesScikitLearn() throws {
        let reference = try YearModelFixtures.manifest().crossValidation
        let songs = try YearModelFixtures.songs()
        var parameters = GradientBoostingParameters()
        parameters.earlyStopping = .disabled
        let report = try ReleaseYearModel.crossValidate(features: songs.features, count: songs.count, dimension: songs.dimension,
                                                        years: songs.years.map { Int($0) }, foldOfSong: songs.folds,
                                                        parameters: parameters, progress: nil)
        #expect(abs(report.meanAbsoluteError / reference.outOfFoldMae - 1) < 0.05,
                "MAE \(report.meanAbsoluteError) vs scikit-learn \(reference.outOfFoldMae)")
        let expected = try YearModelFixtures.load(reference.predictions).values
        #expect(zip(report.predictions, expected).map { abs($0 - $1) }.max()! < 1e-3)
    }

    /// 60 songs whose year follows their first feature; the second is a distraction.
    static let features: [Float] = (0..<60).flatMap { song -> [Float] in [Float(song), Float(song * 7 % 5)] }
    static let years: [Int] = (0..<60).map { 1960 + $0 }

    @Test func eachFoldIsPredictedByAModelFittedOnTheOthers() throws {
        var parameters = GradientBoostingParameters()
        parameters.minSamplesLeaf = 5
        parameters.maxIterations = 20
        let folds = ReleaseYearModel.foldAssignment(count: 60, folds: 3, seed: parameters.seed)
        let report = try ReleaseYearModel.crossValidate(features: Self.features, count: 60, dimension: 2, years: Self.years,
                                                        folds: 3, parameters: parameters)
        for fold in 0..<3 {
            let training = (0..<60).filter { folds[$0] != fold }
            let heldOut = (0..<60).filter { folds[$0] == fold }
            let model = try GradientBoostedRegressor.fit(features: BoostingRows.gather(training, from: Self.features, dimension: 2),
                                                         count: training.count, dimension: 2,
                                                         targets: training.map { Float(Self.years[$0]) }, parameters: parameters)
            let expected = model.predict(features: BoostingRows.gather(heldOut, from: Self.features, dimension: 2), count: heldOut.count)
            #expect(heldOut.map { report.predictions[$0] } == expected)
        }
    }

    @Test func foldsAreSeededAndBalanced() {
        let folds = ReleaseYearModel.foldAssignment(count: 23, folds: 5, seed: 1)
        let sizes = (0..<5).map { fold in folds.filter { $0 == fold }.count }
        #expect(sizes.min()! >= 4 && sizes.max()! <= 5 && sizes.reduce(0, +) == 23)
        #expect(ReleaseYearModel.foldAssignment(count: 23, folds: 5, seed: 1) == folds)
        #expect(ReleaseYearModel.foldAssignment(count: 23, folds: 5, seed: 2) != folds)
    }

    @Test func fewerSongsThanFoldsIsAnError() {
        #expect(throws: GradientBoostingError.tooFewSamples(count: 3, required: 5)) {
            try ReleaseYearModel.crossValidate(features: [1, 2, 3], count: 3, dimension: 1, years: [1990, 2000, 2010])
        }
        #expect(throws: GradientBoostingError.invalidParameter(name: "folds", expected: ">= 2")) {
            try ReleaseYearModel.crossValidate(features: [1, 2, 3], count: 3, dimension: 1, years: [1990, 2000, 2010], folds: 1)
        }
    }

    @Test func mismatchedInputsAreAnError() {
        #expect(throws: GradientBoostingError.shapeMismatch("5 feature values, 6 years and 6 folds for 6 songs × 1")) {
            try ReleaseYearModel.crossValidate(features: [1, 2, 3, 4, 5], count: 6, dimension: 1, years: Array(1990..<1996), folds: 2)
        }
    }

    @Test func progressCoversAllFolds() throws {
        var parameters = GradientBoostingParameters()
        parameters.maxIterations = 4
        var reported: [Double] = []
        _ = try ReleaseYearModel.crossValidate(features: Self.features, count: 60, dimension: 2, years: Self.years, folds: 3,
                                               parameters: parameters) { reported.append($0) }
        #expect(reported.count == 12)
        #expect(reported == reported.sorted())
        #expect(reported.last == 1)
    }

    /// A library large enough that each training fold switches early stopping on by itself
    /// (over 10,000 songs), with the default parameters the index uses.
    @Test func largeLibraryWithAutomaticEarlyStopping() throws {
        let (count, dimension) = (13_000, 32)
        var random = SeededRandom(seed: 13)
        let features = (0..<(count * dimension)).map { _ in random.normal() }
        let years = (0..<count).map { song in
            Int((1990 + 25 * tanh(features[song * dimension]) + 5 * features[song * dimension + 1] * features[song * dimension + 2]
                 + 3 * random.normal()).rounded())
        }
        let report = try ReleaseYearModel.crossValidate(features: features, count: count, dimension: dimension, years: years)
        let meanYear = Float(years.reduce(0, +)) / Float(count)
        let constantError = RegressionStatistics.meanAbsoluteError([Float](repeating: meanYear, count: count), years.map(Float.init))
        #expect(report.meanAbsoluteError < 0.5 * constantError)
        #expect(report.perYear.map(\.count).reduce(0, +) == count)
    }
}
