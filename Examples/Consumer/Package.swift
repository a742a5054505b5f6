// swift-tools-version: 6.1
import PackageDescription

// A package that uses Tessera the way any other package would: by path, through its library
// products, with no compiler flags and no test-only (@testable) API.
let package = Package(
  name: "Consumer",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(name: "Tessera", path: "../.."),
  ],
  targets: [
    .executableTarget(
      name: "Consumer",
      dependencies: [
        .product(name: "TesseraRuntime", package: "Tessera"),
        .product(name: "TesseraGraph", package: "Tessera"),
        .product(name: "TesseraEmbeddings", package: "Tessera"),
      ]
    ),
  ]
)
