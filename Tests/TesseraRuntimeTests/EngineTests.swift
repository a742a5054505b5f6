import Foundation
import Testing
import Tessera
import TesseraNN
import TesseraQuantization
@testable import TesseraRuntime

@Suite("Engine")
struct EngineTests {
  @Test func floatEngineMatchesFloatReference() throws {
    let net = try TestNetworks.smallCNN()
    let x = TestNetworks.inputs(net, count: 5, seed: 3)
    let expected = try net.forward(x, count: 5)
    let engine = try Engine(float: net)
    for batch in [1, 5] {
      let got = try engine.run(Array(x[0..<(batch * net.inputCount)]), count: batch)
      // Same math, different summation order (HWC im2col vs CHW): float tolerance.
      for (a, b) in zip(got, expected) { #expect(abs(a - b) <= 1e-4 + 1e-4 * abs(b)) }
    }
  }

  @Test(arguments: [1, 2])
  func int8EngineEqualsIndependentSimulator(which: Int) throws {
    let net = try which == 1 ? TestNetworks.smallCNN() : TestNetworks.stridedCNN()
    let q = try TestNetworks.quantized(net)
    let x = TestNetworks.inputs(net, count: 7, seed: 4)
    let codes = try Int8Simulator.run(q, x, count: 7)
    let out = q.outputQuantization
    let expected = codes.map { out.dequantize(Int32($0)) }
    let engine = try Engine(quantized: q, configuration: EngineConfiguration(debugReference: false))
    #expect(try engine.run(x, count: 7) == expected)
    #expect(try engine.run(Array(x[0..<net.inputCount]), count: 1) == Array(expected[0..<10]))
    // The float engine follows the float reference too (HWC layout, tiling-free).
    let floatEngine = try Engine(float: net)
    for (a, b) in zip(try floatEngine.run(x, count: 7), try net.forward(x, count: 7)) { #expect(abs(a - b) <= 1e-4 + 1e-4 * abs(b)) }
  }

  /// The engine with `isa`'s kernels equals the engine on the scalar reference kernel, byte for
  /// byte, for 8- and 4-bit weights, batch 1 (GEMV) and batch 9 (GEMM), with the debug
  /// reference mode reporting no mismatch.
  func checkAgainstReference(_ isa: ISA) throws {
    for (net, layers) in [(try TestNetworks.smallCNN(seed: 7), 4), (try TestNetworks.stridedCNN(seed: 8), 2)] {
      try checkAgainstReference(isa, net, layers: layers)
    }
  }

  func checkAgainstReference(_ isa: ISA, _ net: FusedNetwork, layers: Int) throws {
    for bits in [8, 4, 2] {
      let q = try TestNetworks.quantized(net, bits: bits)
      let x = TestNetworks.inputs(net, count: 9, seed: 11)
      let reference = try Engine(quantized: q, configuration: EngineConfiguration(referenceKernels: true, debugReference: false))
      let engine = try Engine(quantized: q, configuration: EngineConfiguration(isa: isa, debugReference: true))
      #expect(engine.kernelNames.gemm?.hasSuffix("__\(isa.rawValue)") == true)
      for count in [1, 9] {
        let input = Array(x[0..<(count * net.inputCount)])
        var diagnostics = RunDiagnostics()
        let got = try engine.run(input, count: count, profile: false, diagnostics: &diagnostics, observe: nil)
        #expect(got == (try reference.run(input, count: count)))
        #expect(diagnostics.mismatches.isEmpty)
        #expect(diagnostics.referenceChecks == layers)
      }
    }
  }

  @Test(.enabled(if: ISA.scalar.isSupported)) func scalarKernelsEqualReference() throws { try checkAgainstReference(.scalar) }
  @Test(.enabled(if: ISA.avx2.isSupported)) func avx2KernelsEqualReference() throws { try checkAgainstReference(.avx2) }
  @Test(.enabled(if: ISA.avxvnni.isSupported)) func avxvnniKernelsEqualReference() throws { try checkAgainstReference(.avxvnni) }
  @Test(.enabled(if: ISA.avx512vnni.isSupported)) func avx512vnniKernelsEqualReference() throws { try checkAgainstReference(.avx512vnni) }
  @Test(.enabled(if: ISA.neondot.isSupported)) func neondotKernelsEqualReference() throws { try checkAgainstReference(.neondot) }
  @Test(.enabled(if: ISA.neoni8mm.isSupported)) func neoni8mmKernelsEqualReference() throws { try checkAgainstReference(.neoni8mm) }

  @Test func concurrentRunsAgree() async throws {
    let net = try TestNetworks.smallCNN(seed: 5)
    let engine = try Engine(quantized: try TestNetworks.quantized(net))
    let x = TestNetworks.inputs(net, count: 8, seed: 6)
    let expected = try engine.run(x, count: 8)
    try await withThrowingTaskGroup(of: [Float].self) { group in
      for _ in 0..<8 { group.addTask { try engine.run(x, count: 8) } }
      for try await result in group { #expect(result == expected) }
    }
  }

  @Test func profileCountsEveryStep() throws {
    let net = try TestNetworks.smallCNN()
    let engine = try Engine(quantized: try TestNetworks.quantized(net))
    var diagnostics = RunDiagnostics()
    var seen = [String]()
    _ = try engine.run(TestNetworks.inputs(net, count: 2, seed: 1), count: 2, profile: true, diagnostics: &diagnostics) { name, values in
      seen.append(name)
      #expect(!values.isEmpty)
    }
    #expect(diagnostics.steps.map(\.kind) == ["quantize", "int8-conv", "int8-maxpool", "int8-conv", "int8-avgpool", "int8-dense", "int8-dense", "dequantize"])
    #expect(diagnostics.steps[1].macs == 2 * 100 * 4 * 27)
    #expect(seen == ["c1", "p1", "c2", "p2", "fc1", "fc2"])
    #expect(engine.linearLayerNames == ["c1", "c2", "fc1", "fc2"])
  }

  @Test func wrongInputSizeIsAnError() throws {
    let engine = try Engine(float: try TestNetworks.smallCNN())
    #expect(throws: EngineError.self) { _ = try engine.run([1, 2, 3], count: 1) }
  }

  @Test func roundHalfEvenDivision() {
    #expect(Pooling.roundHalfEvenDivide(6, 4) == 2)   // 1.5 → 2
    #expect(Pooling.roundHalfEvenDivide(10, 4) == 2)  // 2.5 → 2
    #expect(Pooling.roundHalfEvenDivide(-6, 4) == -2)
    #expect(Pooling.roundHalfEvenDivide(-10, 4) == -2)
    #expect(Pooling.roundHalfEvenDivide(7, 4) == 2)
    #expect(Pooling.roundHalfEvenDivide(-7, 4) == -2)
    #expect(Pooling.roundHalfEvenDivide(5, 4) == 1)
  }
}
