// swift-tools-version: 6.2
// Fahras: a full-text search engine built from the inverted index up. Toolchain only, no dependencies.
//
// Module graph (dependencies point one way):
//   FahrasStorage ← FahrasIndex ← FahrasSearch ← FahrasCLI ← fahras
//   FahrasText ← FahrasIndex, FahrasText ← FahrasSearch; FahrasQuery ← FahrasSearch
//   FahrasIngest (document readers, folder walker) ← FahrasCLI
import PackageDescription

/// The modules with hot loops drop the runtime exclusivity checks (the static ones stay): their
/// buffers are owned by one object each, and the checks cost about 10% of indexing time.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
  name: "Fahras",
  products: [
    .library(name: "Fahras", targets: ["FahrasSearch", "FahrasIngest"]),
    .executable(name: "fahras", targets: ["fahras"]),
  ],
  targets: [
    // The CPU's CRC32C instruction, which Swift cannot reach without a few lines of C.
    .target(name: "CCRC32C"),
    .target(name: "FahrasStorage", dependencies: ["CCRC32C"], swiftSettings: hotPath),
    .target(name: "FahrasText", swiftSettings: hotPath),
    .target(name: "FahrasQuery"),
    .target(
      name: "FahrasIndex", dependencies: ["FahrasStorage", "FahrasText"], swiftSettings: hotPath),
    .target(
      name: "FahrasSearch",
      dependencies: ["FahrasIndex", "FahrasQuery", "FahrasText", "FahrasStorage"],
      swiftSettings: hotPath),
    .target(name: "FahrasIngest", dependencies: ["FahrasIndex", "FahrasText", "FahrasStorage"]),
    .target(
      name: "FahrasCLI",
      dependencies: [
        "FahrasSearch", "FahrasIngest", "FahrasIndex", "FahrasQuery", "FahrasText", "FahrasStorage",
      ]),
    .executableTarget(name: "fahras", dependencies: ["FahrasCLI"]),
    .executableTarget(
      name: "fahras-benchmarks",
      dependencies: [
        "FahrasCLI", "FahrasSearch", "FahrasIngest", "FahrasIndex", "FahrasText", "FahrasStorage",
      ],
      path: "Benchmarks/Sources"),
    .testTarget(name: "FahrasStorageTests", dependencies: ["FahrasStorage"]),
    .testTarget(name: "FahrasTextTests", dependencies: ["FahrasText"]),
    .testTarget(name: "FahrasQueryTests", dependencies: ["FahrasQuery"]),
    .testTarget(
      name: "FahrasIndexTests", dependencies: ["FahrasIndex", "FahrasStorage", "FahrasText"]),
    .testTarget(
      name: "FahrasSearchTests",
      dependencies: ["FahrasSearch", "FahrasIndex", "FahrasQuery", "FahrasText"]),
    .testTarget(name: "FahrasIngestTests", dependencies: ["FahrasIngest", "FahrasIndex"]),
    .testTarget(name: "FahrasCLITests", dependencies: ["FahrasCLI"]),
  ],
  swiftLanguageModes: [.v6]
)
