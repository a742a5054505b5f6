import Foundation
import Testing
import Tessera
import TesseraNN
import TesseraQuantization
@testable import TesseraRuntime

/// The bundled int8 models on every one of the 1,000 bundled test digits: each ISA's engine
/// equals the scalar reference path byte for byte. The debug-reference mode re-runs every int8
/// layer of every call on the reference kernel and counts differing bytes (layer by layer from
/// the same quantized input, so zero mismatches means the whole output equals the reference
/// path); the logits of the first batches are also compared with a reference-only engine.
@Suite("Bundled int8 models, all test digits")
struct BundledModelTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
  static let data = "\(root)/Models/data/mnist_5k.csv.gz"
  static var available: Bool {
    ["mlp-int8", "lenet-int8"].allSatisfy { FileManager.default.fileExists(atPath: "\(root)/Models/\($0).safetensors") }
      && FileManager.default.fileExists(atPath: data)
  }

  func check(_ isa: ISA) throws {
    for model in ["mlp-int8", "lenet-int8"] {
      let path = "\(Self.root)/Models/\(model).safetensors"
      let reference = try Engine(contentsOf: path, configuration: EngineConfiguration(referenceKernels: true, debugReference: false))
      let engine = try Engine(contentsOf: path, configuration: EngineConfiguration(isa: isa, debugReference: true))
      let test = try DataSplit.test.load(Self.data, inputCount: engine.inputCount)
      #expect(test.count == 1000)
      var diagnostics = RunDiagnostics()
      var start = 0
      while start < test.count {
        // Batch 1 for the first samples (GEMV path), then batches of 100 (GEMM path).
        let count = start < 3 ? 1 : min(100, test.count - start)
        let x = Array(test.pixels[(start * engine.inputCount)..<((start + count) * engine.inputCount)])
        let got = try engine.run(x, count: count, profile: false, diagnostics: &diagnostics, observe: nil)
        if start < 103 {
          #expect(got == (try reference.run(x, count: count)), "\(model) \(isa.rawValue) samples \(start)..<\(start + count)")
        }
        start += count
      }
      #expect(diagnostics.mismatches.isEmpty, "\(model) \(isa.rawValue): \(diagnostics.mismatches)")
      #expect(diagnostics.referenceChecks > 0)
    }
  }

  @Test(.enabled(if: available && ISA.scalar.isSupported)) func scalar() throws { try check(.scalar) }
  @Test(.enabled(if: available && ISA.avx2.isSupported)) func avx2() throws { try check(.avx2) }
  @Test(.enabled(if: available && ISA.avxvnni.isSupported)) func avxvnni() throws { try check(.avxvnni) }
  @Test(.enabled(if: available && ISA.avx512vnni.isSupported)) func avx512vnni() throws { try check(.avx512vnni) }
  @Test(.enabled(if: available && ISA.neondot.isSupported)) func neondot() throws { try check(.neondot) }
  @Test(.enabled(if: available && ISA.neoni8mm.isSupported)) func neoni8mm() throws { try check(.neoni8mm) }

  @Test(.enabled(if: available)) func batchesSplitAcrossThreadsGiveTheOneThreadBytes() throws {
    // Batches of ≥ 16 samples on 2+ threads run as data-parallel slices (each the whole chain
    // on its samples); the int8 math per sample is unchanged, so the logits must be identical.
    for model in ["mlp-int8", "lenet-int8"] {
      let path = "\(Self.root)/Models/\(model).safetensors"
      let one = try Engine(contentsOf: path, configuration: EngineConfiguration(threads: 1))
      let three = try Engine(contentsOf: path, configuration: EngineConfiguration(threads: 3))
      #expect(one.batchSlices(count: 64, profile: false, observe: false) == 1)
      #expect(three.batchSlices(count: 64, profile: false, observe: false) == 3)
      #expect(three.batchSlices(count: 192, profile: false, observe: false) == 6, "two slices of ≥ 32 per thread")
      #expect(three.batchSlices(count: 17, profile: false, observe: false) == 2)
      #expect(three.batchSlices(count: 15, profile: false, observe: false) == 1, "under 8 samples per slice")
      #expect(three.batchSlices(count: 64, profile: true, observe: false) == 1, "profiles time whole-batch steps")
      let test = try DataSplit.test.load(Self.data, inputCount: one.inputCount)
      for count in [1, 15, 17, 64, 101, 200] {
        let x = Array(test.pixels[0..<(count * one.inputCount)])
        for _ in 0..<3 {  // repeated calls reuse the slices' arenas
          #expect(try three.run(x, count: count) == (try one.run(x, count: count)), "\(model) batch \(count)")
        }
      }
    }
  }

  @Test(.enabled(if: available)) func bundledInt8ModelsMeetTheAccuracyGate() throws {
    for name in ["mlp", "lenet"] {
      let float = try Engine(contentsOf: "\(Self.root)/Models/\(name).safetensors")
      let int8 = try Engine(contentsOf: "\(Self.root)/Models/\(name)-int8.safetensors")
      let test = try DataSplit.test.load(Self.data, inputCount: float.inputCount)
      let r = try Validator(float: float, quantized: int8).compare(test.pixels, labels: test.labels, latencySamples: 1).report
      #expect(r.dropPoints <= 0.3, "\(name): drop \(r.dropPoints)")
      #expect(r.agreement >= 0.99, "\(name): agreement \(r.agreement)")
    }
  }
}
