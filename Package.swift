// swift-tools-version: 6.1
import PackageDescription

// MARK: - Public API

let package = Package(
  name: "Tessera",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Tessera", targets: ["Tessera"]),
    .library(name: "CTesseraKernels", targets: ["CTesseraKernels"]),
    .library(name: "TesseraGraph", targets: ["TesseraGraph"]),
    .library(name: "TesseraONNX", targets: ["TesseraONNX"]),
    .library(name: "TesseraNN", targets: ["TesseraNN"]),
    .library(name: "TesseraQuantization", targets: ["TesseraQuantization"]),
    .library(name: "TesseraScheduler", targets: ["TesseraScheduler"]),
    .library(name: "TesseraRuntime", targets: ["TesseraRuntime"]),
    .library(name: "TesseraText", targets: ["TesseraText"]),
    .library(name: "TesseraEmbeddings", targets: ["TesseraEmbeddings"]),
    .library(name: "TesseraCompression", targets: ["TesseraCompression"]),
    .library(name: "TesseraCodesign", targets: ["TesseraCodesign"]),
    .library(name: "TesseraReport", targets: ["TesseraReport"]),
    .executable(name: "tessera", targets: ["tessera"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.30.0"),
    // `swift package generate-documentation` (scripts/docs.sh); a plugin, never linked into a product.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    // MARK: - Implementation details

    // int8 kernels in C: scalar reference, SIMD micro-kernels (per-function
    // target attributes, never unsafe compiler flags), packing, CPU features, dispatch.
    .target(
      name: "CTesseraKernels",
      path: "Sources/CTesseraKernels",
      publicHeadersPath: "include",
      cSettings: [.define("_GNU_SOURCE")]
    ),
    // cblas.h + lapacke.h from the system (OpenBLAS on Linux).
    .systemLibrary(
      name: "CSystemBLAS",
      path: "Sources/CSystemBLAS",
      pkgConfig: "openblas lapacke",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),
    .target(
      name: "Tessera",
      dependencies: [
        "CTesseraKernels",
        .target(name: "CSystemBLAS", condition: .when(platforms: [.linux])),
      ]
    ),
    // zlib, for gzip-compressed datasets.
    .systemLibrary(
      name: "CZlib",
      path: "Sources/CZlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    // The graph IR: values, nodes, initializers, validation, graph JSON v2, shape inference,
    // passes and the reference interpreter (the definition of every operator).
    .target(name: "TesseraGraph", dependencies: ["Tessera"]),
    // ONNX import/export: onnx.proto compiled once with protoc-gen-swift and committed
    // (Sources/TesseraONNX/Generated); no build plugin.
    .target(
      name: "TesseraONNX",
      dependencies: ["TesseraGraph", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
    ),
    .target(name: "TesseraNN", dependencies: ["Tessera", "TesseraGraph", "CZlib", "TesseraReport"]),
    .target(name: "TesseraQuantization", dependencies: ["Tessera", "TesseraNN"]),
    .target(
      name: "TesseraScheduler",
      dependencies: ["Tessera", "TesseraGraph", "TesseraReport", .product(name: "Yams", package: "Yams")]
    ),
    // Text tokenizers (BERT WordPiece from tokenizer.json / vocab.txt); Foundation only, so an
    // embedder who needs text pays for nothing else.
    .target(name: "TesseraText"),
    // The engine. It reads `.onnx` files itself (Engine(contentsOf:) takes any model file), so it
    // links TesseraONNX and swift-protobuf; the text modules stay out of it.
    .target(
      name: "TesseraRuntime",
      dependencies: ["Tessera", "TesseraNN", "TesseraQuantization", "TesseraONNX"]
    ),
    // Sentence-transformers folders → graph IR, and the text embedder.
    .target(name: "TesseraEmbeddings", dependencies: ["TesseraGraph", "TesseraQuantization", "TesseraRuntime", "TesseraText"]),
    // Pruning (magnitude, N:M, channel), low-rank factorization, per-layer sensitivity and
    // mixed-precision search over trained float models.
    .target(name: "TesseraCompression", dependencies: ["Tessera", "TesseraNN", "TesseraQuantization"]),
    // SVG charts and the self-contained HTML report; Foundation only.
    .target(name: "TesseraReport"),
    // Model × hardware co-design sweeps: compress, quantize, measure, model, Pareto frontier.
    .target(
      name: "TesseraCodesign",
      dependencies: ["TesseraCompression", "TesseraQuantization", "TesseraRuntime", "TesseraScheduler", "TesseraNN"]
    ),
    .executableTarget(
      name: "tessera",
      dependencies: [
        "Tessera", "TesseraGraph", "TesseraNN", "TesseraONNX", "TesseraQuantization", "TesseraScheduler", "TesseraRuntime",
        "TesseraText", "TesseraEmbeddings", "TesseraCompression", "TesseraCodesign", "TesseraReport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "CTesseraKernelsTests", dependencies: ["CTesseraKernels"]),
    .testTarget(name: "TesseraTests", dependencies: ["Tessera"]),
    .testTarget(name: "TesseraGraphTests", dependencies: ["TesseraGraph"]),
    .testTarget(name: "TesseraONNXTests", dependencies: ["TesseraONNX", "TesseraQuantization", "TesseraRuntime"]),
    .testTarget(name: "TesseraNNTests", dependencies: ["TesseraNN"]),
    .testTarget(name: "TesseraQuantizationTests", dependencies: ["TesseraQuantization"]),
    .testTarget(name: "TesseraSchedulerTests", dependencies: ["TesseraScheduler"]),
    .testTarget(name: "TesseraRuntimeTests", dependencies: ["TesseraRuntime", "TesseraONNX"]),
    .testTarget(name: "TesseraTextTests", dependencies: ["TesseraText"]),
    .testTarget(name: "TesseraEmbeddingsTests", dependencies: ["TesseraEmbeddings"]),
    .testTarget(name: "TesseraCompressionTests", dependencies: ["TesseraCompression"]),
    .testTarget(name: "TesseraCodesignTests", dependencies: ["TesseraCodesign"]),
    .testTarget(name: "TesseraReportTests", dependencies: ["TesseraReport"]),
  ]
)
