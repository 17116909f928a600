// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Numeric modules run tens of times slower unoptimised, which would make the test suite (a
/// debug build) spend minutes in convolutions; they are optimised in every configuration.
let optimisedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// Numeric code is compiled for AVX2 and FMA when the building machine has them (as
/// `-march=native` would): eight-lane SIMD then maps to single instructions. Soundmap is
/// built where it runs (scripts/setup.sh); elsewhere the portable x86-64 code is used.
let vectorSettings: [SwiftSetting] = {
    #if arch(x86_64)
    guard let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = cpu.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
          ["avx2", "fma", "bmi2", "movbe"].allSatisfy({ flags.split(separator: " ").contains(Substring($0)) })
    else { return optimisedEvenInDebug }
    return optimisedEvenInDebug + [.unsafeFlags(["-target-cpu", "haswell"])]
    #else
    return optimisedEvenInDebug
    #endif
}()

/// Soundmap: explore a music collection by how it sounds.
///
/// The targets follow the layers of the program, bottom up: C system libraries,
/// audio I/O, signal processing, encoders, the library index, playback, and the
/// command-line app that ties them together.
let package = Package(
    name: "Soundmap",
    products: [
        .executable(name: "soundmap", targets: ["SoundmapCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // System libraries, each a module map plus a small shim header.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        // libpulse-simple and openblas need no flags beyond their module maps; their pkg-config
        // files would add -pthread and -D_REENTRANT, which SwiftPM rejects with a warning.
        .systemLibrary(name: "CPulseSimple", providers: [.apt(["libpulse-dev"])]),
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CNCurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),

        .target(name: "AudioIO", dependencies: ["CSndFile", "DSP"]),
        .target(name: "DSP", dependencies: ["COpenBLAS"], swiftSettings: vectorSettings),
        .target(name: "ModelCore", dependencies: ["COpenBLAS", "DSP"], swiftSettings: vectorSettings),
        .target(name: "Encoders", dependencies: ["AudioIO", "DSP", "ModelCore"], swiftSettings: vectorSettings),
        // The map of a library: UMAP, HDBSCAN and gradient-boosted trees for the release year.
        .target(name: "Analysis", dependencies: ["ModelCore", "COpenBLAS", "CPrefetch"], swiftSettings: vectorSettings),
        // Cache prefetch hints, which Swift cannot express, for searches that wait on scattered rows.
        .target(name: "CPrefetch"),
        // A signal handler in C: it may only call async-signal-safe functions.
        .target(name: "CCrashJournal"),
        .target(name: "LibraryIndex", dependencies: [
            "AudioIO", "DSP", "Encoders", "Analysis", "COpenBLAS", "CCrashJournal",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Playback", dependencies: ["AudioIO", "CPulseSimple"]),
        .executableTarget(name: "SoundmapCLI", dependencies: [
            "AudioIO", "DSP", "Encoders", "LibraryIndex", "Playback", "ModelCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Test helpers shared by the test targets: audio file generators, fixtures, the built binary.
        .target(name: "TestSupport", dependencies: ["AudioIO", "ModelCore"], path: "Tests/TestSupport"),
        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "DSP", "TestSupport"]),
        .testTarget(name: "DSPTests", dependencies: ["DSP", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelCoreTests", dependencies: ["ModelCore", "TestSupport"]),
        .testTarget(name: "EncodersTests", dependencies: ["Encoders", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LibraryIndexTests", dependencies: ["LibraryIndex", "Analysis", "TestSupport"]),
        .testTarget(name: "PlaybackTests", dependencies: ["Playback", "TestSupport"]),
        // Depends on the executable so that `swift test` builds the binary it runs.
        .testTarget(name: "EndToEndTests", dependencies: [
            "SoundmapCLI", "TestSupport", "AudioIO", "LibraryIndex", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
