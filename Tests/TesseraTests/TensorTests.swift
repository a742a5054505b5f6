import Testing
@testable import Tessera

@Suite("Tensor basics")
struct TensorTests {
  @Test func shapeStridesAndTransposedView() throws {
    let t = try Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(t.strides == [3, 1])
    #expect(t.count == 6 && t.rank == 2 && t.dtype == .float32)
    let tt = t.transposed()
    #expect(tt.shape == [3, 2] && tt.strides == [1, 3])
    #expect(tt[2, 1] == 6)
    #expect(!tt.isContiguous)
    #expect(tt.scalars == [1, 4, 2, 5, 3, 6])
    #expect(tt.contiguous().isContiguous)
  }

  @Test func negativeDimensionIsRejected() {
    #expect(throws: TesseraError.invalidShape(
      operation: "Tensor(shape:scalars:)", shape: [2, -1], reason: "dimension -1 is negative")) {
      _ = try Tensor<Float>(shape: [2, -1], scalars: [])
    }
    #expect(throws: TesseraError.self) { _ = try Tensor<Int8>(zeros: [-3]) }
  }

  @Test func elementCountMismatchNamesTheCounts() throws {
    let error = #expect(throws: TesseraError.self) {
      _ = try Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3])
    }
    #expect(error?.description == "Tensor(shape:scalars:): invalid shape [2, 3]: needs 6 elements, got 3")
  }

  @Test func reshapeKeepsOrderAndRejectsWrongCount() throws {
    let t = try Tensor<Int32>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(try t.reshaped([3, 2])[2, 0] == 5)
    #expect(try t.transposed().reshaped([6]).scalars == [1, 4, 2, 5, 3, 6])
    let error = #expect(throws: TesseraError.self) { _ = try t.reshaped([4, 2]) }
    #expect(error?.description.contains("[4, 2]") == true)
    #expect(error?.description.contains("[2, 3]") == true)
  }

  /// Shapes read from files must not trap on `shape.reduce(1, *)` overflowing.
  @Test func overflowingElementCountThrows() throws {
    let huge = [1 << 40, 1 << 40]
    #expect(Tensor<Float>.elementCount(huge) == nil)
    #expect(Tensor<Float>.elementCount([3, 0, 1 << 40]) == 0)
    #expect(Tensor<Float>.elementCount([0, 1 << 40, 1 << 40]) == nil, "its strides would overflow")
    #expect(Tensor<Float>.elementCount([2, 3]) == 6)
    #expect(throws: TesseraError.invalidShape(
      operation: "Tensor(shape:scalars:)", shape: huge, reason: "element count overflows")) {
      _ = try Tensor<Float>(shape: huge, scalars: [])
    }
    #expect(throws: TesseraError.self) { _ = try Tensor<Int8>(zeros: huge) }
    #expect(throws: TesseraError.self) { _ = try Tensor<Float>(zeros: [1]).reshaped(huge) }
  }

  @Test func zeroSizedTensorsAreAllowed() throws {
    let t = try Tensor<Float>(zeros: [0, 4])
    #expect(t.count == 0 && t.scalars.isEmpty && t.allFinite)
  }

  @Test func mapChangesTypeAndKeepsShape() throws {
    let t = try Tensor<Float>(shape: [2, 2], scalars: [-1.5, 0.4, 2.6, 200])
    let q: Tensor<Int8> = t.transposed().map { Int8(clamping: Int($0.rounded())) }
    #expect(q.shape == [2, 2])
    #expect(q.scalars == [-2, 3, 0, 127])
    var r = t
    r.mapInPlace { Swift.max($0, 0) }
    #expect(r.scalars == [0, 0.4, 2.6, 200])
  }

  @Test(arguments: [Float.nan, .infinity, -.infinity])
  func allFiniteDetectsNonFinite(_ bad: Float) throws {
    var t = try Tensor<Float>(repeating: 1, shape: [3, 5])
    #expect(t.allFinite)
    t[2, 4] = bad
    #expect(!t.allFinite)
    #expect(!t.transposed().allFinite)
  }

  @Test func equalityComparesViewsElementwise() throws {
    let a = try Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
    let b = try Tensor<Float>(shape: [2, 2], scalars: [1, 3, 2, 4])
    #expect(a.transposed() == b)
    #expect(a != b)
  }
}
