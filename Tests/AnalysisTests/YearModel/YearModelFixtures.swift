import Foundation
import TestSupport

/// The reference fixtures written by tools/make_year_fixtures.py (scikit-learn 1.9.1).
enum YearModelFixtures {
    struct Manifest: Decodable {
        struct Case: Decodable {
            let name: String
            let loss: String
            let earlyStopping: Bool
            let iterations: Int
            let testMae: Double
            /// scikit-learn's test-song predictions, for the cases without early stopping.
            let predictions: String?
        }
        struct CrossValidation: Decodable {
            let folds: Int
            let outOfFoldMae: Double
            let predictions: String
        }
        struct Binning: Decodable {
            let name: String
            let file: String
            let thresholds: [Double]
            let bins: [Int]
        }
        let songs: Int
        let dimension: Int
        let cases: [Case]
        let crossValidation: CrossValidation
        let binning: [Binning]
    }

    /// The synthetic songs: row-major features, release years, the test split and the fold of each song.
    struct Songs {
        let features: [Float]
        let years: [Float]
        let isTest: [Bool]
        let folds: [Int]
        let dimension: Int

        var count: Int { years.count }

        /// Features and years of the training (`test == false`) or test songs.
        func part(test: Bool) -> (features: [Float], years: [Float], count: Int) {
            let rows = (0..<count).filter { isTest[$0] == test }
            return (rows.flatMap { features[($0 * dimension)..<(($0 + 1) * dimension)] }, rows.map { years[$0] }, rows.count)
        }
    }

    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("yearmodel")

    static func manifest() throws -> Manifest {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Manifest.self, from: Data(contentsOf: directory.appendingPathComponent("manifest.json")))
    }

    static func load(_ file: String) throws -> NumpyArray {
        try NumpyArray(contentsOf: directory.appendingPathComponent(file))
    }

    static func songs() throws -> Songs {
        let features = try load("songs.npy")
        return Songs(features: features.values, years: try load("years.npy").values,
                     isTest: try load("test_mask.npy").values.map { $0 != 0 },
                     folds: try load("folds.npy").values.map { Int($0) }, dimension: features.shape[1])
    }

    /// Mean absolute error of two equally long lists.
    static func meanAbsoluteError(_ predictions: [Float], _ truth: [Float]) -> Double {
        zip(predictions, truth).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } / Double(truth.count)
    }
}
