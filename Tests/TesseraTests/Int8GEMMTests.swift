import Foundation
import Testing
@testable import Tessera

/// One int8 GEMM problem with its unpacked operands.
struct Int8Problem {
  let a: Tensor<Int8>
  let w: Tensor<Int8>
  let bias: [Int32]?
  let inputZeroPoint: Int32
  let requantization: Requantization

  init(a: Tensor<Int8>, w: Tensor<Int8>, bias: [Int32]?, inputZeroPoint: Int32, requantization: Requantization) {
    self.a = a
    self.w = w
    self.bias = bias
    self.inputZeroPoint = inputZeroPoint
    self.requantization = requantization
  }

  /// Random operands; scales chosen so outputs spread over the int8 range without saturating everywhere.
  init(m: Int, n: Int, k: Int, seed: UInt64, zeroPoint: Int32 = -7, bias: Bool = true,
       outputZeroPoint: Int32 = 5, min: Int8 = -128, max: Int8 = 127) throws {
    var rng = SplitMix64(seed: seed)
    a = try Tensor<Int8>.random(shape: [m, k], in: -128...127, using: &rng)
    w = try Tensor<Int8>.random(shape: [n, k], in: -127...127, using: &rng)
    self.bias = bias ? try Tensor<Int32>.random(shape: [n], in: -5000...5000, using: &rng).scalars : nil
    inputZeroPoint = zeroPoint
    let base = 1 / (Float(k).squareRoot() * 128 * 40)
    let scales = (0..<n).map { _ in base * (0.5 + rng.nextFloat()) }
    requantization = try Requantization(scales: scales, outputZeroPoint: outputZeroPoint, min: min, max: max)
  }

  func reference() throws -> Tensor<Int8> {
    try int8GEMMReference(a, weights: w, bias: bias, inputZeroPoint: inputZeroPoint, requantization: requantization)
  }

  func run(_ kernel: Int8Kernel, threads: Int = 1, input: Tensor<Int8>? = nil, pool: ThreadPool? = nil) throws -> Tensor<Int8> {
    let packed = try PackedInt8Weights(weights: w, bias: bias, inputZeroPoint: inputZeroPoint, kernel: kernel)
    if let pool {
      return try runInt8GEMM(input ?? a, weights: packed, requantization: requantization, threads: threads, pool: pool)
    }
    return try int8GEMM(input ?? a, weights: packed, requantization: requantization, threads: threads)
  }
}

/// Façade vs the C reference for every compiled kernel of each ISA; ISAs this CPU lacks are skipped.
@Suite("int8 GEMM façade")
struct Int8GEMMTests {
  /// m ∈ 1…MR+1 and 2·MR+3, n around NR and 2·NR, k around KR, exact int8 equality.
  static func sweep(_ kernel: Int8Kernel) throws {
    let ms = Set([1, kernel.mr - 1, kernel.mr, kernel.mr + 1, 2 * kernel.mr + 3].filter { $0 > 0 }).sorted()
    let ns = Set([1, kernel.nr - 1, kernel.nr, kernel.nr + 1, 2 * kernel.nr + 5].filter { $0 > 0 }).sorted()
    let ks = Set([1, kernel.kr - 1, kernel.kr, kernel.kr + 1, 3 * kernel.kr + 5, 300].filter { $0 > 0 }).sorted()
    var seed: UInt64 = 1
    for m in ms {
      for n in ns {
        for k in ks {
          seed += 1
          let problem = try Int8Problem(m: m, n: n, k: k, seed: seed, bias: seed % 2 == 0)
          let got = try problem.run(kernel)
          let expected = try problem.reference()
          #expect(got == expected, "\(kernel.name) m=\(m) n=\(n) k=\(k)")
          if got != expected { return }
        }
      }
    }
  }

  /// Extreme values, zero points, a fused ReLU clamp and a padded, offset activation view.
  static func edges(_ kernel: Int8Kernel) throws {
    let m = kernel.mr + 2, n = kernel.nr + 3, k = 2 * kernel.kr + 1
    for zeroPoint in [-128, 0, 127] as [Int32] {
      let problem = try Int8Problem(
        m: m, n: n, k: k, seed: 99, zeroPoint: zeroPoint, outputZeroPoint: -20, min: -20, max: 100)
      let extreme = try Tensor<Int8>(
        shape: [m, k], scalars: (0..<(m * k)).map { $0 % 3 == 0 ? -128 : ($0 % 3 == 1 ? 127 : 0) })
      let extremeW = try Tensor<Int8>(
        shape: [n, k], scalars: (0..<(n * k)).map { $0 % 2 == 0 ? 127 : -127 })
      let saturating = Int8Problem(
        a: extreme, w: extremeW, bias: problem.bias, inputZeroPoint: zeroPoint,
        requantization: problem.requantization)
      for case let p in [problem, saturating] {
        #expect(try p.run(kernel) == p.reference(), "\(kernel.name) zp=\(zeroPoint)")
      }
      // The same A read through row stride k + 7 (prime padding) and offset 3.
      var storage = [Int8](repeating: 99, count: 3 + m * (k + 7))
      for i in 0..<m { for j in 0..<k { storage[3 + i * (k + 7) + j] = problem.a[i, j] } }
      let padded = Tensor<Int8>(storage: storage, shape: [m, k], strides: [k + 7, 1], offset: 3)
      #expect(try problem.run(kernel, input: padded) == problem.reference(), "\(kernel.name) strided")
    }
  }

  static let privatePool = ThreadPool()
  static let privatePoolLock = NSLock()

  /// Threads 1, 2 and 3 give bit-identical results, splitting by rows (large M) and by
  /// column panels (small M).
  static func threading(_ kernel: Int8Kernel) throws {
    for (m, n, k) in [(8 * kernel.mr + 1, 3 * kernel.nr + 1, 1400), (1, 20 * kernel.nr + 3, 3000)] {
      let split = Int8GEMMPartition(m: m, n: n, k: k, mr: kernel.mr, nr: kernel.nr, threads: 3)
      #expect(split.threads == 3 && split.chunks >= 3 && split.byRows == (m > 1), "\(kernel.name) m=\(m) is not split 3 ways")
      let problem = try Int8Problem(m: m, n: n, k: k, seed: UInt64(m * n))
      let expected = try problem.reference()
      for threads in [1, 2, 3] {
        // A private pool used by one test at a time, so the split really runs in parallel
        // (the shared pool falls back to serial when another test holds it).
        do {
          Self.privatePoolLock.lock()
          defer { Self.privatePoolLock.unlock() }
          let pool = Self.privatePool
          let jobsBefore = pool.parallelJobCount + pool.backoffSerialCount
          #expect(try problem.run(kernel, threads: threads, pool: pool) == expected, "\(kernel.name) m=\(m) threads=\(threads)")
          // One pool job (parallel, or serial during a back-off when a worker straggled).
          #expect(pool.parallelJobCount + pool.backoffSerialCount - jobsBefore == (threads > 1 ? 1 : 0))
        }
        #expect(try problem.run(kernel, threads: threads) == expected, "\(kernel.name) m=\(m) threads=\(threads), shared pool")
      }
    }
  }

  static func check(_ kernel: Int8Kernel) throws {
    try sweep(kernel)
    try edges(kernel)
    try threading(kernel)
  }

  @Test(.enabled(if: ISA.scalar.isSupported), arguments: Int8Kernel.all(isa: .scalar))
  func scalarKernels(_ kernel: Int8Kernel) throws { try Self.check(kernel) }

  @Test(.enabled(if: ISA.avx2.isSupported), arguments: Int8Kernel.all(isa: .avx2))
  func avx2Kernels(_ kernel: Int8Kernel) throws { try Self.check(kernel) }

  @Test(.enabled(if: ISA.avxvnni.isSupported), arguments: Int8Kernel.all(isa: .avxvnni))
  func avxvnniKernels(_ kernel: Int8Kernel) throws { try Self.check(kernel) }

  @Test(.enabled(if: ISA.avx512vnni.isSupported), arguments: Int8Kernel.all(isa: .avx512vnni))
  func avx512vnniKernels(_ kernel: Int8Kernel) throws { try Self.check(kernel) }

  @Test(.enabled(if: ISA.neondot.isSupported), arguments: Int8Kernel.all(isa: .neondot))
  func neondotKernels(_ kernel: Int8Kernel) throws { try Self.check(kernel) }

  @Test(.enabled(if: ISA.neoni8mm.isSupported), arguments: Int8Kernel.all(isa: .neoni8mm))
  func neoni8mmKernels(_ kernel: Int8Kernel) throws { try Self.check(kernel) }

  @Test func rawPointerCallLeavesOutputPaddingAlone() throws {
    let kernel = try #require(Int8Kernel.forISA(.scalar, op: .gemm))
    let problem = try Int8Problem(m: 5, n: 11, k: 19, seed: 3)
    let packed = try PackedInt8Weights(
      weights: problem.w, bias: problem.bias, inputZeroPoint: problem.inputZeroPoint, kernel: kernel)
    let outputStride = 16
    var output = [Int8](repeating: 42, count: 5 * outputStride)
    problem.a.withUnsafeBufferPointer { a in
      output.withUnsafeMutableBufferPointer { out in
        int8GEMM(a.baseAddress!, m: 5, aStride: 19, weights: packed, requantization: problem.requantization,
                 output: out.baseAddress!, outputStride: outputStride, threads: 2)
      }
    }
    let expected = try problem.reference()
    for i in 0..<5 {
      #expect(Array(output[(i * outputStride)..<(i * outputStride + 11)]) == Array(expected.scalars[(i * 11)..<(i * 11 + 11)]))
      #expect(output[(i * outputStride + 11)..<((i + 1) * outputStride)].allSatisfy { $0 == 42 })
    }
  }

  @Test func emptyBatchGivesEmptyOutput() throws {
    let kernel = try #require(Int8Kernel.forISA(.scalar, op: .gemm))
    let problem = try Int8Problem(m: 1, n: 4, k: 8, seed: 1)
    let packed = try PackedInt8Weights(weights: problem.w, bias: nil, inputZeroPoint: 0, kernel: kernel)
    let y = try int8GEMM(try Tensor<Int8>(zeros: [0, 8]), weights: packed, requantization: problem.requantization)
    #expect(y.shape == [0, 4])
  }

  @Test func partitionSplitsRowsForLargeMAndPanelsForSmallM() {
    // Row splits: four blocks per thread, claimed dynamically.
    let large = Int8GEMMPartition(m: 256, n: 256, k: 256, mr: 4, nr: 16, threads: 3)
    #expect(large.byRows && large.chunks == 12 && large.threads == 3 && large.units == 64)
    #expect((0..<3).map { large.unitRange($0) } == [0..<5, 5..<10, 10..<16])
    #expect(large.unitRange(11) == 58..<64)
    // Column splits: one block per thread (each core keeps its columns' weights).
    let gemv = Int8GEMMPartition(m: 1, n: 4096, k: 1024, mr: 4, nr: 16, threads: 2)
    #expect(!gemv.byRows && gemv.chunks == 2 && gemv.threads == 2 && gemv.units == 256)
    let tiny = Int8GEMMPartition(m: 2, n: 8, k: 8, mr: 4, nr: 8, threads: 8)
    #expect(tiny.chunks == 1 && tiny.threads == 1)
    // One thread: one block.
    #expect(Int8GEMMPartition(m: 512, n: 512, k: 512, mr: 12, nr: 32, threads: 1).chunks == 1)
    // The MLP's batch-64 middle layer (2^20 MACs per thread) and 1×1024×1024 still split on
    // two threads: on an idle machine that measured 1.48–1.65× and 1.38–1.45× (docs/performance.md).
    let middle = Int8GEMMPartition(m: 64, n: 128, k: 256, mr: 12, nr: 32, threads: 2)
    #expect(middle.byRows && middle.chunks == 6 && middle.threads == 2 && middle.units == 6)
    let gemv1024 = Int8GEMMPartition(m: 1, n: 1024, k: 1024, mr: 1, nr: 64, threads: 2)
    #expect(!gemv1024.byRows && gemv1024.chunks == 2 && gemv1024.units == 16)
    // Below 2 × 2^17 MACs there is one block.
    #expect(Int8GEMMPartition(m: 1, n: 512, k: 511, mr: 1, nr: 64, threads: 2).chunks == 1)
  }
}
