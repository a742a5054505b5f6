// swift-tools-version: 6.1
import PackageDescription

// An HTTP inference service on Hummingbird 2 that loads Tessera models once and batches concurrent
// requests. Its own package: it depends on Tessera by path, as any consumer would, and uses only
// Tessera's public API.
let package = Package(
  name: "InferenceService",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "inference-service", targets: ["inference-service"]),
  ],
  dependencies: [
    .package(name: "Tessera", path: "../.."),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
  ],
  targets: [
    // Routes, request decoding and validation, the dynamic batcher, model registry and metrics.
    .target(
      name: "InferenceServiceCore",
      dependencies: [
        .product(name: "TesseraRuntime", package: "Tessera"),
        .product(name: "TesseraEmbeddings", package: "Tessera"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]
    ),
    // The command line: `inference-service --port P --model NAME=PATH …`.
    .executableTarget(
      name: "inference-service",
      dependencies: [
        "InferenceServiceCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "InferenceServiceCoreTests",
      dependencies: ["InferenceServiceCore"]
    ),
  ]
)
