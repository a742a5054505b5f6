import Testing
@testable import Tessera

@Suite("int8 API validation")
struct Int8APIErrorTests {
  @Test(arguments: [Float.zero, -0.5, .nan, .infinity, -.infinity, -.zero])
  func requantizationRejectsBadScales(_ bad: Float) {
    let error = #expect(throws: TesseraError.self) { _ = try Requantization(scales: [0.1, bad, 0.2]) }
    #expect(error?.description.contains("scale[1]") == true)
  }

  @Test func requantizationRejectsBadParameters() {
    #expect(throws: TesseraError.self) { _ = try Requantization(scales: []) }
    #expect(throws: TesseraError.self) { _ = try Requantization(scales: [1], outputZeroPoint: 128) }
    #expect(throws: TesseraError.self) { _ = try Requantization(scales: [1], min: 10, max: 9) }
    #expect(throws: TesseraError.self) {
      _ = try Requantization(inputScale: 0, weightScales: [1], outputScale: 1)
    }
    #expect(throws: TesseraError.self) {
      _ = try Requantization(inputScale: 1, weightScales: [1], outputScale: .nan)
    }
  }

  @Test func requantizationRoundsHalfToEvenAndClamps() throws {
    let rq = try Requantization(inputScale: 0.5, weightScales: [0.5, 1], outputScale: 1, outputZeroPoint: 1, min: -3, max: 6)
    #expect(rq.scales == [0.25, 0.5])
    #expect(rq.requantize(10, channel: 0) == 3)   // 2.5 → 2, + 1
    #expect(rq.requantize(14, channel: 0) == 5)   // 3.5 → 4, + 1
    #expect(rq.requantize(-10, channel: 0) == -1) // −2.5 → −2, + 1
    #expect(rq.requantize(100, channel: 1) == 6)  // clamped to max
    #expect(rq.requantize(-100, channel: 1) == -3) // clamped to min
  }

  @Test func packedWeightsValidateTheirInputs() throws {
    let kernel = try #require(Int8Kernel.forISA(.scalar, op: .gemm))
    let w = try Tensor<Int8>(zeros: [4, 6])
    #expect(throws: TesseraError.shapeMismatch(operation: "PackedInt8Weights bias", lhs: [4], rhs: [3])) {
      _ = try PackedInt8Weights(weights: w, bias: [1, 2, 3], inputZeroPoint: 0, kernel: kernel)
    }
    #expect(throws: TesseraError.self) {
      _ = try PackedInt8Weights(weights: try Tensor<Int8>(zeros: [24]), bias: nil, inputZeroPoint: 0, kernel: kernel)
    }
    #expect(throws: TesseraError.self) {
      _ = try PackedInt8Weights(weights: try Tensor<Int8>(zeros: [0, 6]), bias: nil, inputZeroPoint: 0, kernel: kernel)
    }
    #expect(throws: TesseraError.self) {
      _ = try PackedInt8Weights(weights: w, bias: nil, inputZeroPoint: 200, kernel: kernel)
    }
    let tooDeep = try Tensor<Int8>(zeros: [1, PackedInt8Weights.maximumInnerDimension + 1])
    #expect(throws: TesseraError.self) {
      _ = try PackedInt8Weights(weights: tooDeep, bias: nil, inputZeroPoint: 0, kernel: kernel)
    }
    let packed = try PackedInt8Weights(weights: w, bias: nil, inputZeroPoint: 0, kernel: kernel)
    #expect(packed.n == 4 && packed.k == 6 && packed.kernel == kernel)
    #expect(packed.byteCount == kernel.packedByteCount(n: 4, k: 6))
    #expect(Int(bitPattern: packed.packedPointer) % 64 == 0)
  }

  @Test func gemmShapeErrorsNameBothShapes() throws {
    let kernel = try #require(Int8Kernel.forISA(.scalar, op: .gemm))
    let packed = try PackedInt8Weights(weights: try Tensor<Int8>(zeros: [4, 6]), bias: nil, inputZeroPoint: 0, kernel: kernel)
    let rq = try Requantization(scales: [1, 1, 1, 1])
    let error = #expect(throws: TesseraError.self) {
      _ = try int8GEMM(try Tensor<Int8>(zeros: [2, 5]), weights: packed, requantization: rq)
    }
    #expect(error?.description == "int8GEMM: shape mismatch between [2, 5] and [4, 6]")
    #expect(throws: TesseraError.shapeMismatch(operation: "int8GEMM requantization scales", lhs: [4], rhs: [2])) {
      _ = try int8GEMM(try Tensor<Int8>(zeros: [2, 6]), weights: packed, requantization: try Requantization(scales: [1, 1]))
    }
    #expect(throws: TesseraError.self) {
      _ = try int8GEMM(try Tensor<Int8>(zeros: [6]), weights: packed, requantization: rq)
    }
  }

  @Test func kernelTableIsConsistent() throws {
    let all = Int8Kernel.all
    #expect(!all.isEmpty)
    #expect(Set(all.map(\.name)).count == all.count)
    for kernel in all {
      #expect(kernel.name.hasSuffix("__" + kernel.isa.rawValue), "\(kernel.name)")
      #expect(kernel.name.contains("_\(kernel.mr)x\(kernel.nr)c\(kernel.kr)__"), "\(kernel.name)")
      #expect(kernel.op != .gemv || kernel.mr == 1, "\(kernel.name)")
      #expect(kernel.isa.isCompiled)
    }
    #expect(ISA.scalar.isCompiled && ISA.scalar.isSupported)
    #expect(ISA.best.isSupported)
    #expect(try Int8Kernel.selected(for: .gemm).isSupported)
    #expect(try Int8Kernel.selected(for: .gemv).isSupported)
    for isa in ISA.allCases {
      let kernel = Int8Kernel.forISA(isa, op: .gemm)
      #expect((kernel != nil) == (isa.isSupported && !Int8Kernel.all(isa: isa.int8KernelISA, op: .gemm).isEmpty))
      if let kernel { #expect(kernel.isa == isa.int8KernelISA && kernel.op == .gemm) }
    }
  }

  @Test func isaWordsParse() throws {
    #expect(try ISA(parsing: " AVX2 ") == .avx2)
    let error = #expect(throws: TesseraError.self) { _ = try ISA(parsing: "sse9") }
    #expect(error?.description.contains("sse9") == true)
  }
}

@Suite("int8 kernel selection (TESSERA_ISA semantics)")
struct KernelSelectionTests {
  @Test func automaticChoiceIsTheBestSupportedISA() throws {
    for op in KernelOp.allCases {
      let automatic = try Int8Kernel.selected(for: op, isaOverride: nil)
      #expect(automatic == (try Int8Kernel.selected(for: op, isaOverride: "")))
      #expect(automatic.isa == ISA.best.int8KernelISA)
    }
  }

  @Test(arguments: ISA.allCases)
  func overrideForcesOrExplains(isa: ISA) throws {
    if isa.isSupported {
      let kernel = try Int8Kernel.selected(for: .gemm, isaOverride: isa.rawValue)
      #expect(kernel.isa == isa.int8KernelISA && kernel.op == .gemm)
      #expect(try Int8Kernel.selected(for: .gemv, isaOverride: isa.rawValue).isa == isa.int8KernelISA)
    } else {
      let error = #expect(throws: TesseraError.self) {
        _ = try Int8Kernel.selected(for: .gemm, isaOverride: isa.rawValue)
      }
      guard case let .unsupportedISA(message)? = error else {
        Issue.record("expected unsupportedISA, got \(String(describing: error))")
        return
      }
      #expect(message.hasPrefix("TESSERA_ISA=\(isa.rawValue): "))
      #expect(message.contains(isa.isCompiled ? "does not support" : "has no"))
    }
  }

  @Test func unknownWordIsRejectedWithTheKnownList() {
    let error = #expect(throws: TesseraError.self) { _ = try Int8Kernel.selected(for: .gemm, isaOverride: "avx9000") }
    #expect(error?.description.contains("TESSERA_ISA=avx9000") == true)
    #expect(error?.description.contains("avx512vnni") == true)
  }
}
