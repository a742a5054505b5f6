// swift-tools-version: 6.1
import PackageDescription

// MARK: - Public API

let package = Package(
  name: "Tessera",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Tessera", targets: ["Tessera"]),
    .library(name: "CTesseraKernels", targets: ["CTesseraKernels"]),
    .executable(name: "tessera", targets: ["tessera"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // MARK: - Implementation details

    // int8 kernels in C: scalar reference, SIMD micro-kernels (per-function
    // target attributes, never unsafeFlags), packing, CPU features, dispatch.
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
    .executableTarget(
      name: "tessera",
      dependencies: [
        "Tessera",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "CTesseraKernelsTests", dependencies: ["CTesseraKernels"]),
    .testTarget(name: "TesseraTests", dependencies: ["Tessera"]),
  ]
)
