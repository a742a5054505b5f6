import Testing
@testable import Tessera

@Suite("Seeded random generation")
struct RandomTests {
  @Test func splitMix64MatchesPublishedSequence() {
    // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(rng.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func sameSeedSameTensorDifferentSeedDifferent() throws {
    let a = try Tensor<Float>.random(shape: [8, 9], seed: 5)
    #expect(a == (try Tensor<Float>.random(shape: [8, 9], seed: 5)))
    #expect(a != (try Tensor<Float>.random(shape: [8, 9], seed: 6)))
    #expect(try Tensor<Float>.randomNormal(shape: [4], seed: 1) == Tensor<Float>.randomNormal(shape: [4], seed: 1))
    #expect(try Tensor<Int8>.random(shape: [16], seed: 2) == Tensor<Int8>.random(shape: [16], seed: 2))
  }

  @Test func uniformStaysInRange() throws {
    let t = try Tensor<Float>.random(shape: [10_000], seed: 3, in: -2..<0.5)
    #expect(t.scalars.allSatisfy { $0 >= -2 && $0 < 0.5 })
    // Mean of U(-2, 0.5) is -0.75; standard error over 10⁴ samples ≈ 0.007.
    let mean = t.scalars.reduce(0, +) / Float(t.count)
    #expect(abs(mean + 0.75) < 0.03)
  }

  @Test func normalHasRequestedMoments() throws {
    let t = try Tensor<Float>.randomNormal(shape: [100_000], seed: 4, mean: 3, standardDeviation: 0.5)
    let n = Float(t.count)
    let mean = t.scalars.reduce(0, +) / n
    let variance = t.scalars.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
    // Standard errors: mean 0.0016, deviation ≈ 0.0011; bounds are > 6 of them.
    #expect(abs(mean - 3) < 0.01)
    #expect(abs(variance.squareRoot() - 0.5) < 0.01)
    #expect(t.allFinite)
  }

  @Test func integersCoverTheClosedRange() throws {
    let t = try Tensor<Int8>.random(shape: [20_000], seed: 9)
    #expect(t.scalars.min() == -128 && t.scalars.max() == 127)
    let small = try Tensor<Int32>.random(shape: [1000], seed: 9, in: -3...4)
    #expect(Set(small.scalars) == Set(-3...4))
    let u = try Tensor<UInt8>.random(shape: [100], seed: 1, in: 7...7)
    #expect(u.scalars.allSatisfy { $0 == 7 })
  }

  @Test func sharedGeneratorAdvances() throws {
    var rng = SeededRandom(seed: 77)
    let a = try Tensor<Float>.random(shape: [4], using: &rng)
    let b = try Tensor<Float>.random(shape: [4], using: &rng)
    #expect(a != b)
    var replay = SeededRandom(seed: 77)
    #expect(try Tensor<Float>.random(shape: [8], using: &replay).scalars == a.scalars + b.scalars)
  }

  @Test func boundedIntegersAreInBounds() {
    var rng = SplitMix64(seed: 123)
    for bound in [1, 2, 3, 10, 1000] as [UInt64] {
      for _ in 0..<200 { #expect(rng.nextInt(below: bound) < bound) }
    }
  }

  @Test func badArgumentsThrow() {
    #expect(throws: TesseraError.self) { _ = try Tensor<Float>.random(shape: [2], seed: 0, in: 1..<1) }
    #expect(throws: TesseraError.self) { _ = try Tensor<Float>.random(shape: [2], seed: 0, in: 0..<Float.infinity) }
    #expect(throws: TesseraError.self) { _ = try Tensor<Float>.randomNormal(shape: [2], seed: 0, standardDeviation: -1) }
    #expect(throws: TesseraError.self) { _ = try Tensor<Float>.randomNormal(shape: [2], seed: 0, mean: .nan) }
    #expect(throws: TesseraError.self) { _ = try Tensor<Float>.random(shape: [-2], seed: 0) }
  }
}
