import Foundation
import Testing
@testable import Tessera

/// The public façade of the f32-gemm kernels.
@Suite("PackedFloatLinear")
struct PackedFloatLinearTests {
  static let privatePool = ThreadPool()

  /// Random float weights, bias and activations for one layer (shared with the int8 layer's tests).
  func problem(m: Int, n: Int, k: Int, seed: UInt64) -> DynamicLinearProblem {
    DynamicLinearProblem(m: m, n: n, k: k, seed: seed)
  }

  /// Max over outputs of |y − exact| / (1e-5·√K·(|b| + Σ|x·w|)); ≤ 1 is within the documented bound.
  func boundRatio(_ y: [Float], _ p: DynamicLinearProblem) -> Double {
    var worst = 0.0
    for i in 0..<p.m {
      for j in 0..<p.n {
        var exact = Double(p.bias[j]), mag = abs(exact)
        for t in 0..<p.k {
          let v = Double(p.x[i * p.k + t]) * Double(p.w[j * p.k + t])
          exact += v
          mag += abs(v)
        }
        worst = max(worst, abs(Double(y[i * p.n + j]) - exact) / (1e-5 * Double(p.k).squareRoot() * mag))
      }
    }
    return worst
  }

  @Test("1 and 2 threads give identical bits (row split and column split)",
        arguments: [(128, 384, 384), (2, 1536, 384), (37, 65, 1536), (64, 1536, 384)])
  func threads(_ shape: (Int, Int, Int)) throws {
    let (m, n, k) = shape
    let p = problem(m: m, n: n, k: k, seed: UInt64(m * 7 + n))
    let linear = try PackedFloatLinear(weights: p.w, outputs: n, inputs: k, bias: p.bias)
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
    #expect(boundRatio(one, p) <= 1)
  }

  @Test("every supported ISA is within the bound of the double reference (MiniLM shapes)",
        arguments: [(16, 1536, 384), (13, 384, 1536), (5, 384, 384)])
  func isas(_ shape: (Int, Int, Int)) throws {
    let (m, n, k) = shape
    let p = problem(m: m, n: n, k: k, seed: 5)
    for (word, variant) in [("scalar", "scalar"), ("avx2", "avx2"), ("avx512f", "avx512f"), ("avx512vnni", "avx512f")] {
      guard let linear = try? PackedFloatLinear(weights: p.w, outputs: n, inputs: k, bias: p.bias, isaOverride: word)
      else {
        print("SKIPPED: PackedFloatLinear \(word): not supported here")
        continue
      }
      #expect(linear.isa == variant)
      #expect(linear.kernelName.hasSuffix("__\(variant)"))
      #expect(boundRatio(linear.apply(p.x, rows: m), p) <= 1, "\(linear.kernelName)")
    }
  }

  @Test("the [K, N] initializer equals the [N, K] one; no bias means zeros")
  func layouts() throws {
    let p = problem(m: 9, n: 70, k: 33, seed: 7)
    var kn = [Float](repeating: 0, count: p.n * p.k)
    for j in 0..<p.n { for t in 0..<p.k { kn[t * p.n + j] = p.w[j * p.k + t] } }
    let a = try PackedFloatLinear(weights: p.w, outputs: p.n, inputs: p.k, bias: p.bias)
    let b = try PackedFloatLinear(weightsKN: kn, inputs: p.k, outputs: p.n, bias: p.bias)
    #expect(a.apply(p.x, rows: p.m).map(\.bitPattern) == b.apply(p.x, rows: p.m).map(\.bitPattern))
    let noBias = try PackedFloatLinear(weights: p.w, outputs: p.n, inputs: p.k, bias: nil)
    let zeros = try PackedFloatLinear(weights: p.w, outputs: p.n, inputs: p.k, bias: [Float](repeating: 0, count: p.n))
    #expect(noBias.apply(p.x, rows: p.m).map(\.bitPattern) == zeros.apply(p.x, rows: p.m).map(\.bitPattern))
    #expect(a.weightBytes >= p.n * p.k * 4 && a.weightBytes % 64 == 0)
  }

  @Test("strides leave padding untouched; M = 0 does nothing")
  func strides() throws {
    let p = problem(m: 13, n: 33, k: 384, seed: 9)
    let linear = try PackedFloatLinear(weights: p.w, outputs: p.n, inputs: p.k, bias: p.bias)
    let xStride = p.k + 5, yStride = p.n + 3
    var xs = [Float](repeating: .nan, count: p.m * xStride)
    for i in 0..<p.m { for j in 0..<p.k { xs[i * xStride + j] = p.x[i * p.k + j] } }
    var ys = [Float](repeating: -7, count: p.m * yStride)
    linear.apply(xs, rows: p.m, xStride: xStride, into: &ys, yStride: yStride, threads: 2)
    let dense = linear.apply(p.x, rows: p.m)
    for i in 0..<p.m {
      for j in 0..<p.n { #expect(ys[i * yStride + j].bitPattern == dense[i * p.n + j].bitPattern) }
      for j in p.n..<yStride { #expect(ys[i * yStride + j] == -7) }
    }
    linear.apply(xs, rows: 0, xStride: xStride, into: &ys, yStride: yStride)
    #expect(linear.apply([], rows: 0).isEmpty)
  }

  @Test("many threads may apply one layer at once")
  func concurrentUse() throws {
    let p = problem(m: 24, n: 96, k: 200, seed: 13)
    let linear = try PackedFloatLinear(weights: p.w, outputs: p.n, inputs: p.k, bias: p.bias)
    let expected = linear.apply(p.x, rows: p.m).map(\.bitPattern)
    nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 8)
    defer { results.deallocate() }
    DispatchQueue.concurrentPerform(iterations: 8) { i in
      results[i] = linear.apply(p.x, rows: p.m).map(\.bitPattern) == expected
    }
    #expect(results.allSatisfy { $0 })
  }

  @Test("mismatched sizes and bad values throw clear errors")
  func errors() {
    #expect(throws: TesseraError.shapeMismatch(operation: "PackedFloatLinear weights", lhs: [2, 3], rhs: [5])) {
      try PackedFloatLinear(weights: [Float](repeating: 1, count: 5), outputs: 2, inputs: 3, bias: nil)
    }
    #expect(throws: TesseraError.shapeMismatch(operation: "PackedFloatLinear weights", lhs: [3, 2], rhs: [5])) {
      try PackedFloatLinear(weightsKN: [Float](repeating: 1, count: 5), inputs: 3, outputs: 2, bias: nil)
    }
    #expect(throws: TesseraError.shapeMismatch(operation: "PackedFloatLinear bias", lhs: [2], rhs: [3])) {
      try PackedFloatLinear(weights: [Float](repeating: 1, count: 6), outputs: 2, inputs: 3, bias: [0, 0, 0])
    }
    #expect(throws: TesseraError.self) {
      try PackedFloatLinear(weights: [], outputs: 0, inputs: 3, bias: nil)
    }
    #expect(throws: TesseraError.invalidArgument("PackedFloatLinear: the weights must be finite")) {
      try PackedFloatLinear(weights: [1, .nan], outputs: 1, inputs: 2, bias: nil)
    }
    #expect(throws: TesseraError.invalidArgument("PackedFloatLinear: the bias must be finite")) {
      try PackedFloatLinear(weights: [1, 2], outputs: 1, inputs: 2, bias: [.infinity])
    }
    do {
      _ = try PackedFloatLinear(weights: [1, 2], outputs: 1, inputs: 2, bias: nil, isaOverride: "avx1024")
      Issue.record("an unknown ISA word was accepted")
    } catch let error as TesseraError {
      #expect(error.description.hasPrefix("TESSERA_ISA=avx1024: unknown"))
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }
}
