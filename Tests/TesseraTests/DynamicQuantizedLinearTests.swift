import Foundation
import Testing
@testable import Tessera

/// Random float weights, bias and activations for one layer.
struct DynamicLinearProblem {
  let m: Int, n: Int, k: Int
  let x: [Float]
  let w: [Float]
  let bias: [Float]

  init(m: Int, n: Int, k: Int, seed: UInt64) {
    self.m = m
    self.n = n
    self.k = k
    var rng = SplitMix64(seed: seed)
    x = (0..<m * k).map { _ in rng.nextFloat() * 4 - 2 }
    w = (0..<n * k).map { _ in rng.nextFloat() - 0.5 }
    bias = (0..<n).map { _ in rng.nextFloat() - 0.5 }
  }
}

/// The public façade of the qd8-f32-qc8w kernels.
@Suite("DynamicQuantizedLinear")
struct DynamicQuantizedLinearTests {
  static let privatePool = ThreadPool()

  @Test("1 and 2 threads give identical bits (row split and column split)",
        arguments: [(128, 384, 384), (2, 1536, 384), (37, 65, 1536)])
  func threads(_ shape: (Int, Int, Int)) throws {
    let (m, n, k) = shape
    let p = DynamicLinearProblem(m: m, n: n, k: k, seed: UInt64(m * 7 + n))
    let linear = try DynamicQuantizedLinear(weights: p.w, outputs: n, inputs: k, bias: p.bias)
    let one = linear.apply(p.x, rows: m, threads: 1)
    var two = [Float](repeating: 0, count: m * n)
    p.x.withUnsafeBufferPointer { xs in
      two.withUnsafeMutableBufferPointer { ys in
        linear.run(xs.baseAddress!, rows: m, xStride: k, into: ys.baseAddress!, yStride: n, threads: 2,
                   pool: Self.privatePool)
      }
    }
    #expect(one.map(\.bitPattern) == two.map(\.bitPattern))
    #expect(linear.apply(p.x, rows: m, threads: 2).map(\.bitPattern) == one.map(\.bitPattern))
  }

  @Test("every supported ISA gives the scalar path's bits")
  func isas() throws {
    let p = DynamicLinearProblem(m: 19, n: 70, k: 131, seed: 5)
    let scalar = try DynamicQuantizedLinear(weights: p.w, outputs: p.n, inputs: p.k, bias: p.bias, isaOverride: "scalar")
    #expect(scalar.isa == .scalar)
    let expected = scalar.apply(p.x, rows: p.m).map(\.bitPattern)
    for isa in [ISA.avx2, .avxvnni, .avx512vnni, .avx512amx, .neondot, .neoni8mm] {
      guard let linear = try? DynamicQuantizedLinear(
        weights: p.w, outputs: p.n, inputs: p.k, bias: p.bias, isaOverride: isa.rawValue)
      else {
        print("SKIPPED: DynamicQuantizedLinear \(isa.rawValue): not supported here")
        continue
      }
      #expect(linear.isa == isa)
      #expect(linear.kernelName.hasSuffix("__\(isa.rawValue)"))
      #expect(linear.apply(p.x, rows: p.m).map(\.bitPattern) == expected, "\(linear.kernelName)")
    }
  }

  @Test("close to the float layer; strides leave padding untouched; M = 0 does nothing")
  func accuracyAndStrides() throws {
    let p = DynamicLinearProblem(m: 5, n: 33, k: 384, seed: 9)
    let linear = try DynamicQuantizedLinear(weights: p.w, outputs: p.n, inputs: p.k, bias: p.bias)
    #expect(linear.weightBytes >= p.n * p.k)
    #expect(linear.weightScales.count == p.n)
    let xStride = p.k + 5, yStride = p.n + 3
    var xs = [Float](repeating: .nan, count: p.m * xStride)
    for i in 0..<p.m { for j in 0..<p.k { xs[i * xStride + j] = p.x[i * p.k + j] } }
    var ys = [Float](repeating: -7, count: p.m * yStride)
    linear.apply(xs, rows: p.m, xStride: xStride, into: &ys, yStride: yStride)
    let dense = linear.apply(p.x, rows: p.m)
    var errSq = 0.0, refSq = 0.0
    for i in 0..<p.m {
      for j in 0..<p.n {
        #expect(ys[i * yStride + j].bitPattern == dense[i * p.n + j].bitPattern)
        var exact = Double(p.bias[j])
        for t in 0..<p.k { exact += Double(p.x[i * p.k + t]) * Double(p.w[j * p.k + t]) }
        errSq += pow(Double(dense[i * p.n + j]) - exact, 2)
        refSq += exact * exact
      }
      for j in p.n..<yStride { #expect(ys[i * yStride + j] == -7) }
    }
    // Uniform data: activation and weight grids each contribute ~0.3 % RMS (docs/quantization.md §13).
    #expect((errSq / refSq).squareRoot() < 0.015)
    linear.apply(xs, rows: 0, xStride: xStride, into: &ys, yStride: yStride)
    #expect(linear.apply([], rows: 0).isEmpty)
  }

  @Test("the int8 initializer equals the float one given the same quantization")
  func int8Init() throws {
    let p = DynamicLinearProblem(m: 3, n: 40, k: 64, seed: 11)
    let (codes, scales) = DynamicQuantizedLinear.quantizeWeights(p.w, n: p.n, k: p.k)
    #expect(codes.allSatisfy { $0 >= -127 })
    let a = try DynamicQuantizedLinear(weights: p.w, outputs: p.n, inputs: p.k, bias: nil)
    let b = try DynamicQuantizedLinear(int8: codes, scales: scales, n: p.n, k: p.k, bias: nil)
    #expect(a.apply(p.x, rows: p.m).map(\.bitPattern) == b.apply(p.x, rows: p.m).map(\.bitPattern))
  }

  @Test("many threads may apply one layer at once")
  func concurrentUse() throws {
    let p = DynamicLinearProblem(m: 24, n: 96, k: 200, seed: 13)
    let linear = try DynamicQuantizedLinear(weights: p.w, outputs: p.n, inputs: p.k, bias: p.bias)
    let expected = linear.apply(p.x, rows: p.m).map(\.bitPattern)
    // Distinct slots per iteration, read after all have finished.
    nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 8)
    defer { results.deallocate() }
    DispatchQueue.concurrentPerform(iterations: 8) { i in
      results[i] = linear.apply(p.x, rows: p.m).map(\.bitPattern) == expected
    }
    #expect(results.allSatisfy { $0 })
  }

  @Test("mismatched sizes and bad values throw clear errors")
  func errors() {
    #expect(throws: TesseraError.shapeMismatch(operation: "DynamicQuantizedLinear weights", lhs: [2, 3], rhs: [5])) {
      try DynamicQuantizedLinear(weights: [Float](repeating: 1, count: 5), outputs: 2, inputs: 3, bias: nil)
    }
    #expect(throws: TesseraError.shapeMismatch(operation: "DynamicQuantizedLinear bias", lhs: [2], rhs: [3])) {
      try DynamicQuantizedLinear(weights: [Float](repeating: 1, count: 6), outputs: 2, inputs: 3, bias: [0, 0, 0])
    }
    #expect(throws: TesseraError.shapeMismatch(operation: "DynamicQuantizedLinear scales", lhs: [2], rhs: [1])) {
      try DynamicQuantizedLinear(int8: [Int8](repeating: 1, count: 6), scales: [1], n: 2, k: 3, bias: nil)
    }
    #expect(throws: TesseraError.self) {
      try DynamicQuantizedLinear(weights: [], outputs: 0, inputs: 3, bias: nil)
    }
    #expect(throws: TesseraError.invalidArgument("DynamicQuantizedLinear: weight scales must be finite and positive")) {
      try DynamicQuantizedLinear(int8: [1, 2], scales: [0], n: 1, k: 2, bias: nil)
    }
    #expect(throws: TesseraError.invalidArgument("DynamicQuantizedLinear: the weights must be finite")) {
      try DynamicQuantizedLinear(weights: [1, .nan], outputs: 1, inputs: 2, bias: nil)
    }
    do {
      _ = try DynamicQuantizedLinear(weights: [1, 2], outputs: 1, inputs: 2, bias: nil, isaOverride: "avx1024")
      Issue.record("an unknown ISA word was accepted")
    } catch let error as TesseraError {
      #expect(error.description.hasPrefix("TESSERA_ISA=avx1024: unknown"))
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }
}
