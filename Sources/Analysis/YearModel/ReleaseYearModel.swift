import ModelCore

/// Release-year prediction from song features with k-fold cross-validation, so that every song's
/// predicted year comes from a model that never saw the song.
public enum ReleaseYearModel {
    /// Folds when the caller does not choose (scikit-learn's `KFold` default).
    public static let defaultFolds = 5

    /// Splits the songs into `folds` seeded random folds of near-equal size, fits a model on all
    /// folds but one for each fold, and predicts the held-out fold. `progress` receives the overall
    /// completed fraction on the calling thread. Throws `tooFewSamples` with fewer songs than folds.
    public static func crossValidate(features: [Float], count: Int, dimension: Int, years: [Int],
                                     folds: Int = defaultFolds,
                                     parameters: GradientBoostingParameters = GradientBoostingParameters(),
                                     progress: ((Double) -> Void)? = nil) throws -> ReleaseYearReport {
        guard folds >= 2 else { throw GradientBoostingError.invalidParameter(name: "folds", expected: ">= 2") }
        guard count >= folds else { throw GradientBoostingError.tooFewSamples(count: count, required: folds) }
        return try crossValidate(features: features, count: count, dimension: dimension, years: years,
                                 foldOfSong: foldAssignment(count: count, folds: folds, seed: parameters.seed),
                                 parameters: parameters, progress: progress)
    }

    /// Cross-validation over a given fold per song (folds numbered from 0).
    static func crossValidate(features: [Float], count: Int, dimension: Int, years: [Int], foldOfSong: [Int],
                              parameters: GradientBoostingParameters, progress: ((Double) -> Void)?) throws -> ReleaseYearReport {
        guard features.count == count * dimension, years.count == count, foldOfSong.count == count else {
            throw GradientBoostingError.shapeMismatch(
                "\(features.count) feature values, \(years.count) years and \(foldOfSong.count) folds for \(count) songs × \(dimension)")
        }
        let folds = (foldOfSong.max() ?? 0) + 1
        var predictions = [Float](repeating: 0, count: count)
        for fold in 0..<folds {
            let training = foldOfSong.indices.filter { foldOfSong[$0] != fold }
            let heldOut = foldOfSong.indices.filter { foldOfSong[$0] == fold }
            guard !heldOut.isEmpty else { continue }
            let model = try GradientBoostedRegressor.fit(
                features: BoostingRows.gather(training, from: features, dimension: dimension), count: training.count,
                dimension: dimension, targets: training.map { Float(years[$0]) }, parameters: parameters,
                progress: progress.map { report in { report((Double(fold) + $0) / Double(folds)) } })
            let heldOutPredictions = model.predict(features: BoostingRows.gather(heldOut, from: features, dimension: dimension),
                                                   count: heldOut.count)
            for (song, prediction) in zip(heldOut, heldOutPredictions) { predictions[song] = prediction }
        }
        return ReleaseYearReport(years: years, predictions: predictions)
    }

    /// A seeded shuffle of the songs cut into `folds` consecutive runs whose sizes differ by at most one.
    static func foldAssignment(count: Int, folds: Int, seed: UInt64) -> [Int] {
        var random = SeededRandom(seed: seed)
        var assignment = [Int](repeating: 0, count: count)
        for (position, song) in Array(0..<count).shuffled(using: &random).enumerated() {
            assignment[song] = position * folds / count
        }
        return assignment
    }
}
