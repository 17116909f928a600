import Foundation
import GRDB

/// The SQLite file that holds the index: songs, models, vectors, clips.
///
/// Opened in WAL mode, so readers (the terminal UI, `similar`) see consistent data while an
/// indexing run writes, and every song is committed in its own transaction: a killed
/// process leaves whole songs or none.
public final class LibraryDatabase: Sendable {
    public let path: String
    let pool: DatabasePool

    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A second writer (two `soundmap index` at once) waits instead of failing.
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw IndexError.cannotOpenIndex(path: path, reason: error.message ?? "\(error)")
        }
        self.path = path
        try LibraryDatabase.migrator.migrate(pool)
    }

    /// `$XDG_DATA_HOME/soundmap/library.sqlite`, or `~/.local/share/soundmap/library.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            return dataHome + "/soundmap/library.sqlite"
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/soundmap/library.sqlite"
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: songs, models, embeddings, clips") { db in
            try db.execute(sql: """
                CREATE TABLE songs (
                    id INTEGER PRIMARY KEY,
                    path BLOB NOT NULL UNIQUE,          -- file name bytes, not necessarily UTF-8
                    display_path TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    mtime REAL NOT NULL,
                    fingerprint TEXT NOT NULL,
                    format TEXT,
                    sample_rate INTEGER,
                    channels INTEGER,
                    duration REAL,
                    title TEXT,
                    artist TEXT,
                    album TEXT,
                    date TEXT,
                    year INTEGER,
                    genre TEXT,
                    tags TEXT,
                    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
                    error TEXT,
                    warning TEXT,
                    indexed_at REAL NOT NULL
                );
                CREATE INDEX songs_fingerprint ON songs(fingerprint);
                CREATE TABLE models (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    dimension INTEGER NOT NULL,
                    standardize INTEGER NOT NULL,
                    summary TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    UNIQUE (name, version)
                );
                CREATE TABLE embeddings (
                    song_id INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
                    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    vector BLOB NOT NULL,               -- little-endian float32
                    analyzed_seconds REAL NOT NULL,
                    audible_seconds REAL NOT NULL,
                    PRIMARY KEY (song_id, model_id)
                );
                CREATE INDEX embeddings_model ON embeddings(model_id);
                CREATE TABLE clips (
                    id INTEGER PRIMARY KEY,
                    song_id INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
                    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    start REAL NOT NULL,
                    length REAL NOT NULL,
                    vector BLOB NOT NULL                -- little-endian float16
                );
                CREATE INDEX clips_song_model ON clips(song_id, model_id);
                CREATE INDEX clips_model ON clips(model_id);
                """)
        }
        migrator.registerMigration("v2: tag predictions") { db in
            try db.execute(sql: """
                ALTER TABLE models ADD COLUMN tag_names TEXT NOT NULL DEFAULT '[]';  -- JSON array, output order
                CREATE TABLE song_tags (
                    song_id INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
                    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    probabilities BLOB NOT NULL,        -- little-endian float32, one per tag
                    PRIMARY KEY (song_id, model_id)
                );
                """)
        }
        migrator.registerMigration("v3: filter activations and rankings") { db in
            try db.execute(sql: """
                CREATE TABLE filter_activations (
                    song_id INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
                    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    means BLOB NOT NULL,                -- little-endian float32, one per filter
                    peaks BLOB NOT NULL,                -- little-endian float32, one per filter
                    peak_starts BLOB NOT NULL,          -- little-endian float32 seconds, one per filter
                    clip_length REAL NOT NULL,
                    PRIMARY KEY (song_id, model_id)
                );
                -- Derived from filter_activations by each indexing run: per filter, the strongest
                -- clips of the library, at most one per song. `stale` marks a run that changed
                -- activations and has not rebuilt the rankings yet (it was killed, say).
                CREATE TABLE filter_rankings (
                    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    filter INTEGER NOT NULL,
                    rank INTEGER NOT NULL,
                    song_id INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
                    start REAL NOT NULL,
                    length REAL NOT NULL,
                    activation REAL NOT NULL,
                    PRIMARY KEY (model_id, filter, rank)
                );
                CREATE INDEX filter_rankings_song ON filter_rankings(song_id);
                CREATE TABLE filter_rankings_state (
                    model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
                    stale INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v4: library analysis") { db in
            try db.execute(sql: """
                -- The newest map, clusters and year model of a model's vectors (`soundmap analyze`).
                CREATE TABLE analyses (
                    id INTEGER PRIMARY KEY,
                    model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    created_at REAL NOT NULL,
                    songs INTEGER NOT NULL,             -- songs analysed (fewer rows remain after removals)
                    settings TEXT NOT NULL,             -- JSON: the parameters that made it
                    year_report TEXT                    -- JSON; NULL when too few songs carry a year
                );
                CREATE TABLE song_analysis (
                    analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
                    song_id INTEGER NOT NULL REFERENCES songs(id) ON DELETE CASCADE,
                    x REAL NOT NULL,
                    y REAL NOT NULL,
                    cluster INTEGER NOT NULL,           -- -1: noise
                    probability REAL NOT NULL,
                    outlier_score REAL NOT NULL,
                    predicted_year REAL,                -- out of fold for songs with a year
                    PRIMARY KEY (analysis_id, song_id)
                );
                CREATE INDEX song_analysis_song ON song_analysis(song_id);
                CREATE TABLE cluster_summaries (
                    analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
                    cluster INTEGER NOT NULL,
                    summary TEXT NOT NULL,              -- JSON ClusterSummary
                    PRIMARY KEY (analysis_id, cluster)
                );
                """)
        }
        return migrator
    }

    /// Runs `body` in one read transaction: a consistent snapshot even while indexing writes.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// Runs `body` in one write transaction.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.write(body)
    }
}

/// Errors of the index layer, worded for the command line.
public enum IndexError: Error, Equatable, CustomStringConvertible {
    case cannotOpenIndex(path: String, reason: String)
    case rootMissing(String)
    case noEmbeddings(model: String)
    case songNotFound(String)
    case ambiguousQuery(String, candidates: [String])
    case invalidQuery(String, reason: String)
    case sidecar(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .cannotOpenIndex(let path, let reason): "cannot open the index \(path): \(reason)"
        case .rootMissing(let path): "\(path) does not exist or is not a folder; nothing was changed"
        case .noEmbeddings(let model): "no songs are indexed with model '\(model)' yet; run `soundmap index DIR` first"
        case .songNotFound(let query): "no song matches '\(query)'"
        case .ambiguousQuery(let query, let candidates):
            "'\(query)' matches \(candidates.count) songs; be more specific or use an id:\n"
                + candidates.map { "  " + $0 }.joined(separator: "\n")
        case .invalidQuery(let query, let reason): "cannot read '\(query)': \(reason)"
        case .sidecar(let path, let line, let reason): "\(path), line \(line): \(reason)"
        }
    }
}
