import Analysis

/// The parameters of an analysis, stored with it so a map can say what made it.
public struct AnalysisSettings: Codable, Sendable, Equatable {
    /// The 2-D map.
    public var map: UMAPParameters
    /// The few-dimensional embedding HDBSCAN clusters (UMAP again, with the points packed tighter).
    public var clustering: UMAPParameters
    public var minClusterSize: Int
    public var minSamples: Int?
    public var yearFolds: Int
    public var boosting: GradientBoostingParameters

    /// umap-learn's defaults for the map; for clustering, 8 dimensions and min_dist 0 (umap-learn's
    /// advice for clustering, and "Self-Supervised Music Analysis"'s practice of clustering a
    /// UMAP reduction, since HDBSCAN finds nothing in the raw 200–512-d space); HDBSCAN's
    /// min_cluster_size from the library's size; 5-fold cross-validated boosting for the years.
    public init(songCount: Int, seed: UInt64 = 42, minClusterSize: Int? = nil) {
        map = UMAPParameters()
        map.metric = .cosine
        map.seed = seed
        clustering = map
        clustering.components = 8
        clustering.minDistance = 0
        self.minClusterSize = minClusterSize ?? HDBSCANParameters.recommendedMinClusterSize(songCount: songCount)
        yearFolds = ReleaseYearModel.defaultFolds
        boosting = GradientBoostingParameters()
        boosting.seed = seed
    }
}

/// A cluster at a glance: what `soundmap clusters` prints and the terminal map shows.
public struct ClusterSummary: Codable, Sendable, Equatable {
    public struct YearCount: Codable, Sendable, Equatable {
        public var year: Int
        public var count: Int
    }

    public struct YearShare: Codable, Sendable, Equatable {
        public var year: Int
        /// The cluster's songs of that year over all the library's songs of that year.
        public var share: Double
    }

    public struct TagLift: Codable, Sendable, Equatable {
        public var tag: String
        /// The members' mean probability of the tag.
        public var probability: Double
        /// That mean over the library's.
        public var lift: Double
    }

    /// Quartiles and range of a set of values.
    public struct Spread: Codable, Sendable, Equatable {
        public var minimum, lowerQuartile, median, upperQuartile, maximum: Double
    }

    public var cluster: Int
    public var size: Int
    /// HDBSCAN's persistence of the cluster (its stability in λ).
    public var persistence: Double
    /// The most typical songs: highest membership, then nearest the cluster's centre.
    public var representatives: [Int64]
    /// Known release years of the members.
    public var years: [YearCount]
    public var sharePerYear: [YearShare]
    /// The spread of the members' predicted years, when there is a year model.
    public var predictedYears: Spread?
    /// The tags most over-represented among the members, when the model tags.
    public var topTags: [TagLift]
}

/// The release-year model's accuracy, as `soundmap years` prints it.
public struct YearReportSummary: Codable, Sendable, Equatable {
    public struct YearSpread: Codable, Sendable, Equatable {
        public var year: Int
        public var count: Int
        public var meanAbsoluteError: Double
        /// The box plot of the year's predictions: Tukey's whiskers around the quartiles.
        public var meanPrediction, lowerWhisker, lowerQuartile, median, upperQuartile, upperWhisker: Double
        /// Counts of predictions in `histogramEdges`' bins, for violin plots.
        public var histogram: [Int]
    }

    public var songs: Int
    public var folds: Int
    /// Out-of-fold mean absolute error of the model, in years.
    public var meanAbsoluteError: Double
    /// The same for a baseline that always predicts the training folds' median year.
    public var baselineMeanAbsoluteError: Double
    public var histogramEdges: [Double]
    public var perYear: [YearSpread]
}
