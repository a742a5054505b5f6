import Tessera
import TesseraQuantization

extension Engine {
  /// Runs one step; returns true when it worked in place (or wrote the final output).
  func execute(
    _ step: Step, count: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
    source: UnsafeMutableRawPointer, destination: UnsafeMutableRawPointer, scratch: UnsafeMutableRawPointer,
    threads: Int, diagnostics: inout RunDiagnostics
  ) throws -> Bool {
    switch step.kind {
    case let .input(i):
      prepareInput(i, count: count, input: input, destination: destination)
      return false
    case let .int8Linear(l):
      try runInt8(l, name: step.name, count: count, source: source.assumingMemoryBound(to: Int8.self),
                  destination: destination.assumingMemoryBound(to: Int8.self),
                  scratch: scratch.assumingMemoryBound(to: Int8.self), threads: threads, diagnostics: &diagnostics)
      return false
    case let .floatLinear(l):
      runFloat(l, count: count, source: source.assumingMemoryBound(to: Float.self),
               destination: destination.assumingMemoryBound(to: Float.self), scratch: scratch.assumingMemoryBound(to: Float.self))
      return false
    case let .maxPool(g):
      if plan.isQuantized {
        Pooling.max(source.assumingMemoryBound(to: Int8.self), g, count: count, into: destination.assumingMemoryBound(to: Int8.self))
      } else {
        Pooling.max(source.assumingMemoryBound(to: Float.self), g, count: count, into: destination.assumingMemoryBound(to: Float.self))
      }
      return false
    case let .avgPool(g, zeroPoint):
      if plan.isQuantized {
        Pooling.averageInt8(source.assumingMemoryBound(to: Int8.self), g, zeroPoint: zeroPoint, count: count, into: destination.assumingMemoryBound(to: Int8.self))
      } else {
        Pooling.averageFloat(source.assumingMemoryBound(to: Float.self), g, count: count, into: destination.assumingMemoryBound(to: Float.self))
      }
      return false
    case let .relu(zeroPoint):
      let n = step.outputCount * count
      if plan.isQuantized {
        let p = source.assumingMemoryBound(to: Int8.self), z = Int8(zeroPoint)
        for i in 0..<n where p[i] < z { p[i] = z }
      } else {
        let p = source.assumingMemoryBound(to: Float.self)
        for i in 0..<n where !(p[i] > 0) { p[i] = 0 }
      }
      return true
    case let .output(q):
      let n = step.outputCount * count
      if let q {
        let p = source.assumingMemoryBound(to: Int8.self)
        for i in 0..<n { output[i] = q.dequantize(Int32(p[i])) }
      } else {
        output.update(from: source.assumingMemoryBound(to: Float.self), count: n)
      }
      return true
    }
  }

  /// Normalizes, converts CHW → HWC and (for int8) quantizes the input batch. Quantization is
  /// exactly ``AffineQuantization/quantize(_:)``: `clamp(rint(x / s) + z)`, NaN → z.
  func prepareInput(_ i: InputStep, count: Int, input: UnsafePointer<Float>, destination: UnsafeMutableRawPointer) {
    let c = i.shape.count == 3 ? i.shape[0] : 1
    let total = i.shape.reduce(1, *), inner = total / c
    let int8 = destination.assumingMemoryBound(to: Int8.self), float = destination.assumingMemoryBound(to: Float.self)
    if i.quantization == nil, i.normalization == nil, c == 1 {
      float.update(from: input, count: count * total)
      return
    }
    for n in 0..<count {
      for ch in 0..<c {
        var m: Float = 0, inverse: Float = 1
        if let norm = i.normalization {
          m = norm.mean[norm.mean.count == 1 ? 0 : ch]
          inverse = 1 / norm.std[norm.std.count == 1 ? 0 : ch]
        }
        let src = input + n * total + ch * inner
        let offset = n * total + ch
        if let q = i.quantization {
          if i.normalization == nil && c == 1 {
            Self.quantize(src, into: int8 + offset, count: inner, q)
          } else {
            withUnsafeTemporaryAllocation(of: Float.self, capacity: inner) { plane in
              for p in 0..<inner { plane[p] = (src[p] - m) * inverse }
              withUnsafeTemporaryAllocation(of: Int8.self, capacity: inner) { codes in
                Self.quantize(UnsafePointer(plane.baseAddress!), into: codes.baseAddress!, count: inner, q)
                for p in 0..<inner { int8[offset + p * c] = codes[p] }
              }
            }
          }
        } else {
          let normalize = i.normalization != nil
          for p in 0..<inner { float[offset + p * c] = normalize ? (src[p] - m) * inverse : src[p] }
        }
      }
    }
  }

  /// `clamp(rint(x / s) + z)` with NaN → z, exactly ``AffineQuantization/quantize(_:)``, as a
  /// loop the compiler vectorizes: clamp, then round (equal to round-then-clamp for integral
  /// bounds); adding 1.5 · 2²³ rounds half to even for |v| < 2²² and leaves the integer in the low
  /// mantissa bits, so neither a libm call nor a float → int conversion is needed.
  static func quantize(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Int8>, count: Int, _ q: AffineQuantization) {
    let scale = q.scale, zero = q.zeroPoint
    let lo = Float(q.grid.qmin - zero), hi = Float(q.grid.qmax - zero)
    let magic: Float = 12_582_912
    for p in 0..<count {
      let v = x[p] / scale
      let low = v >= lo ? v : lo
      let clamped = low <= hi ? low : hi
      let rounded = Int32(bitPattern: (clamped + magic).bitPattern) &- 0x4B40_0000
      y[p] = Int8(truncatingIfNeeded: v == v ? rounded &+ zero : zero)
    }
  }

  /// An int8 dense layer or convolution: (im2col) → packed int8 GEMM/GEMV with the fused
  /// bias + requantize + ReLU epilogue, or the scalar reference, or both (debug mode).
  func runInt8(
    _ l: Int8LinearStep, name: String, count: Int, source: UnsafeMutablePointer<Int8>,
    destination: UnsafeMutablePointer<Int8>, scratch: UnsafeMutablePointer<Int8>, threads: Int,
    diagnostics: inout RunDiagnostics
  ) throws {
    var a = UnsafePointer(source)
    let m = count * l.positions
    if let g = l.im2col {
      let inSample = g.inputCount, rows = g.outputPixels * g.patchSize
      let padded = UnsafeMutableRawPointer(scratch + count * rows + Im2ColHWC.slackBytes)
      let padByte = UInt8(bitPattern: Int8(l.inputZeroPoint))
      for n in 0..<count {
        Im2ColHWC.rows(source + n * inSample, g, elementSize: 1, padByte: padByte, padded: padded, into: scratch + n * rows)
      }
      a = UnsafePointer(scratch)
    }
    if configuration.referenceKernels {
      try reference(l, a: a, m: m, into: destination)
    } else {
      let weights = m == 1 ? (l.gemv ?? l.gemm) : l.gemm
      int8GEMM(
        a, m: m, aStride: l.k, weights: weights, requantization: l.requantization, output: destination,
        outputStride: l.n, threads: threads)
    }
    if configuration.debugReference {
      let expected = UnsafeMutablePointer<Int8>.allocate(capacity: m * l.n)
      defer { expected.deallocate() }
      try reference(l, a: a, m: m, into: expected)
      var differing = 0
      for i in 0..<(m * l.n) where expected[i] != destination[i] { differing += 1 }
      diagnostics.referenceChecks += 1
      if differing > 0 { diagnostics.mismatches[name, default: 0] += differing }
    }
  }

  /// The scalar reference kernel on the unpacked codes.
  func reference(_ l: Int8LinearStep, a: UnsafePointer<Int8>, m: Int, into destination: UnsafeMutablePointer<Int8>) throws {
    let x = try Tensor<Int8>(shape: [m, l.k], scalars: Array(UnsafeBufferPointer(start: a, count: m * l.k)))
    let y = try int8GEMMReference(
      x, weights: l.codes, bias: l.bias, inputZeroPoint: l.inputZeroPoint, requantization: l.requantization)
    y.withUnsafeBufferPointer { destination.update(from: $0.baseAddress!, count: m * l.n) }
  }

  /// A float dense layer or convolution: bias prefill, (im2col) → sgemm or sgemv, ReLU.
  func runFloat(
    _ l: FloatLinearStep, count: Int, source: UnsafeMutablePointer<Float>, destination: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>
  ) {
    var a = UnsafePointer(source)
    let m = count * l.positions
    if let g = l.im2col {
      let inSample = g.inputCount, rows = g.outputPixels * g.patchSize
      let padded = UnsafeMutableRawPointer(scratch + count * rows) + Im2ColHWC.slackBytes
      for n in 0..<count {
        Im2ColHWC.rows(source + n * inSample, g, elementSize: 4, padByte: 0, padded: padded, into: scratch + n * rows)
      }
      a = UnsafePointer(scratch)
    }
    l.bias.withUnsafeBufferPointer { b in
      for row in 0..<m { (destination + row * l.n).update(from: b.baseAddress!, count: l.n) }
    }
    l.weight.withUnsafeBufferPointer { w in
      if m == 1 {
        BLAS.sgemv(transposeA: false, m: l.n, n: l.k, alpha: 1, a: w.baseAddress!, lda: l.k, x: a, beta: 1, y: destination)
      } else {
        BLAS.sgemm(
          transposeA: false, transposeB: true, m: m, n: l.n, k: l.k, alpha: 1, a: a, lda: l.k, b: w.baseAddress!,
          ldb: l.k, beta: 1, c: destination, ldc: l.n)
      }
    }
    if l.relu {
      for i in 0..<(m * l.n) where !(destination[i] > 0) { destination[i] = 0 }
    }
  }
}
