import Testing
@testable import Tessera
@Test func tensorShape() throws { let t = try Tensor<Float>(shape: [2, 3], scalars: [1,2,3,4,5,6]); #expect(t.transposed()[2, 1] == 6) }
@Test func matmulSmall() throws {
  let a = try Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
  let c = try matmul(a, a, transposeB: true)
  #expect(c.scalars == [14, 32, 32, 77])
  let d = try matmul(a.transposed(), a.transposed(), transposeA: true)
  #expect(d.scalars == [14, 32, 32, 77])
}
