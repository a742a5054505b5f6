import Benchmark
import Tessera

// package-benchmark targets for Tessera's int8 GEMM/GEMV (weights packed outside the
// measured loop; outputs blackHole'd). Run: swift package --package-path Benchmarks benchmark
//
// The comparison table against OpenBLAS/oneDNN/XNNPACK is the tessera-peers tool instead.

/// Operands and packed weights for one shape and kernel, built before measuring.
private final class Int8Case: @unchecked Sendable {
  let shape: GEMMShape
  let operands: GEMMOperands
  let packed: PackedInt8Weights
  var output: [Int8]

  init(_ text: String, op: KernelOp, isa: ISA?) throws {
    shape = try GEMMShape(parsing: text)
    operands = try GEMMOperands(shape: shape)
    let kernel = try isa.flatMap { Int8Kernel.forISA($0, op: op) } ?? Int8Kernel.selected(for: op)
    packed = try PackedInt8Weights(
      weights: operands.weights, bias: operands.bias, inputZeroPoint: operands.inputZeroPoint, kernel: kernel)
    output = [Int8](repeating: 0, count: shape.m * shape.n)
  }

  func run(threads: Int) {
    operands.activations.withUnsafeBufferPointer { a in
      output.withUnsafeMutableBufferPointer { c in
        int8GEMM(
          a.baseAddress!, m: shape.m, aStride: shape.k, weights: packed,
          requantization: operands.requantization, output: c.baseAddress!, outputStride: shape.n,
          threads: threads)
      }
    }
  }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2), maxIterations: 10_000)

  let cases: [(String, KernelOp, ISA?)] = [
    ("1x256x784", .gemv, nil), ("1x4096x4096", .gemv, nil), ("64x256x784", .gemm, nil),
    ("256x256x256", .gemm, nil), ("64x256x784", .gemm, .scalar),
  ]
  for (shape, op, isa) in cases {
    guard let item = try? Int8Case(shape, op: op, isa: isa) else { continue }
    let label = "int8 \(op.rawValue) \(shape) \(isa?.rawValue ?? "best")"
    Benchmark(label) { benchmark in
      for _ in benchmark.scaledIterations {
        item.run(threads: 1)
        blackHole(item.output)
      }
    }
  }
  if let item = try? Int8Case("256x256x256", op: .gemm, isa: nil) {
    Benchmark("int8 gemm 256x256x256 best, 2 threads") { benchmark in
      for _ in benchmark.scaledIterations {
        item.run(threads: 2)
        blackHole(item.output)
      }
    }
  }
}
