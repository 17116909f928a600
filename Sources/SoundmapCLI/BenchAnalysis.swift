import Analysis
import Foundation
import ModelCore

/// `soundmap bench hdbscan|umap|gboost`: the map's algorithms on the inputs the Python reference
/// scripts wrote (tools/bench_*_reference.py), so both sides work on the very same numbers.
extension Benchmark {
    /// The `<prefix>_<N>.npy` inputs of `folder`, smallest first.
    func inputs(in folder: String, prefix: String) throws -> [(count: Int, array: NumpyArray)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix(prefix + "_") && $0.hasSuffix(".npy") }
        let inputs = try names.compactMap { name -> (Int, NumpyArray)? in
            guard let count = Int(name.dropFirst(prefix.count + 1).dropLast(4)) else { return nil }
            return (count, try NumpyArray(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        }
        guard !inputs.isEmpty else { throw CLIError("no \(prefix)_N.npy in \(folder): run the reference script first") }
        return inputs.sorted { $0.0 < $1.0 }
    }

    func hdbscan(folder: String) throws {
        for (count, points) in try inputs(in: folder, prefix: "blobs") {
            var clusters = 0
            let seconds = fastest {
                clusters = HDBSCAN.cluster(points: points.values, count: count, dimension: points.shape[1],
                                           parameters: HDBSCANParameters(minClusterSize: 15)).clusterCount
            }
            report("hdbscan", "n=\(count)", seconds, "s", extra: ["clusters": "\(clusters)"])
        }
    }

    /// UMAP to 2-D with umap-learn's defaults, euclidean and cosine, on each mixture_N.npy.
    func umap(folder: String) throws {
        for (count, points) in try inputs(in: folder, prefix: "mixture") {
            for metric in [UMAPMetric.euclidean, .cosine] {
                var parameters = UMAPParameters()
                parameters.metric = metric
                let seconds = fastest {
                    var umap = UMAP(points: points.values, count: count, dimension: points.shape[1], parameters: parameters)
                    umap.run()
                }
                report("umap", "\(metric.rawValue),n=\(count)", seconds, "s")
            }
        }
    }

    /// Fits on train_features/years.npy and scores test_features/years.npy, for both losses.
    func gboost(folder: String) throws {
        func load(_ name: String) throws -> NumpyArray { try NumpyArray(contentsOf: URL(fileURLWithPath: folder + "/" + name + ".npy")) }
        let (train, trainYears) = (try load("train_features"), try load("train_years"))
        let (test, testYears) = (try load("test_features"), try load("test_years"))
        let (count, dimension) = (train.shape[0], train.shape[1])
        for (name, loss) in [("squared_error", BoostingLoss.squaredError), ("absolute_error", .absoluteError)] {
            var parameters = GradientBoostingParameters()
            parameters.loss = loss
            var model: GradientBoostedRegressor?
            let seconds = try median {
                model = try GradientBoostedRegressor.fit(features: train.values, count: count, dimension: dimension,
                                                         targets: trainYears.values, parameters: parameters)
            }
            let predictions = model!.predict(features: test.values, count: test.shape[0])
            let error = zip(predictions, testYears.values).map { Double(abs($0 - $1)) }.reduce(0, +) / Double(predictions.count)
            report("gboost", "fit,\(name),\(count)x\(dimension)", seconds, "s", extra: ["iterations": "\(model!.iterationCount)"])
            report("gboost", "test error,\(name)", error, "years MAE")
        }
    }
}
