// swift-tools-version: 6.1
import PackageDescription

// Tessera's benchmarks, kept in their own package so neither package-benchmark nor the peer
// libraries (oneDNN, XNNPACK) ever reach users of the main package.
//
//   swift run -c release --package-path Benchmarks tessera-peers      # comparison table
//   swift package --package-path Benchmarks benchmark                 # ordo-one benchmarks
//
// System packages (Debian/Ubuntu): libdnnl-dev libxnnpack-dev libpthreadpool-dev
// (scripts/bench-peers.sh installs them when missing).

let package = Package(
  name: "TesseraBenchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(name: "Tessera", path: "../"),
    .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.29.0", traits: ["MallocInterposer"]),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // MARK: - Peer libraries (system packages)

    // oneDNN: dnnl_gemm_u8s8s32.
    .systemLibrary(
      name: "CDNNL",
      path: "Sources/CDNNL",
      providers: [.apt(["libdnnl-dev"])]
    ),
    // XNNPACK (Debian's 2022 snapshot): xnn_create_fully_connected_nc_qs8 + pthreadpool.
    .systemLibrary(
      name: "CXNNPACK",
      path: "Sources/CXNNPACK",
      providers: [.apt(["libxnnpack-dev", "libpthreadpool-dev"])]
    ),

    // MARK: - Tools

    // One table: Tessera int8 (best ISA, scalar) vs OpenBLAS, oneDNN and XNNPACK on the same shapes.
    .executableTarget(
      name: "tessera-peers",
      dependencies: [
        "CDNNL", "CXNNPACK",
        .product(name: "Tessera", package: "Tessera"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/tessera-peers"
    ),

    // MARK: - package-benchmark targets

    .executableTarget(
      name: "Int8GEMM",
      dependencies: [
        .product(name: "Benchmark", package: "package-benchmark"),
        .product(name: "Tessera", package: "Tessera"),
      ],
      path: "Benchmarks/Int8GEMM",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    ),
  ]
)
