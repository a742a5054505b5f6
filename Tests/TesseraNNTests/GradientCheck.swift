import Tessera
@testable import TesseraNN

/// Central finite differences against a layer's backward pass.
///
/// The scalar checked is `L = Σ y ⊙ r` for a fixed random `r`, accumulated in Double; the
/// forward pass runs in Float, so with step h = 1e-2 the numerical derivative carries an error
/// of about ε_float·|L|/h ≈ 1e-5·|L|. Tolerance: |numeric − analytic| ≤ 3e-3 + 2e-2·|analytic|.
enum GradientCheck {
  static let step: Float = 1e-2
  static let absoluteTolerance = 3e-3
  static let relativeTolerance = 2e-2

  struct Mismatch: CustomStringConvertible {
    var what: String, index: Int, numeric: Double, analytic: Double
    var description: String { "\(what)[\(index)]: numeric \(numeric) vs analytic \(analytic)" }
  }

  static func randomTensor(_ shape: [Int], seed: UInt64, awayFromZero: Float = 0) -> Tensor<Float> {
    var rng = SplitMix64(seed: seed)
    let values = (0..<shape.reduce(1, *)).map { _ -> Float in
      var v = rng.nextFloat() * 2 - 1
      if awayFromZero > 0 && abs(v) < awayFromZero { v = v < 0 ? v - awayFromZero : v + awayFromZero }
      return v
    }
    return try! Tensor(shape: shape, scalars: values)
  }

  static func dot(_ y: Tensor<Float>, _ r: Tensor<Float>) -> Double {
    zip(y.scalars, r.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
  }

  /// Checks d/dx and d/dparameters. `prepare` runs before every forward pass (e.g. to reseed dropout).
  static func check(
    _ layer: any Layer, input: Tensor<Float>, seed: UInt64 = 7, prepare: () -> Void = {}
  ) throws -> [Mismatch] {
    layer.isTraining = true
    prepare()
    let y = try layer(input)
    let r = randomTensor(y.shape, seed: seed)
    let dx = try layer.backward(r)
    let analyticParameters = layer.parameters.filter(\.isTrainable).map(\.gradient)
    func loss(_ x: Tensor<Float>) throws -> Double {
      prepare()
      return dot(try layer(x), r)
    }
    var mismatches = [Mismatch]()
    var x = input.scalars
    for i in x.indices {
      let original = x[i]
      x[i] = original + step
      let plus = try loss(try Tensor(shape: input.shape, scalars: x))
      x[i] = original - step
      let minus = try loss(try Tensor(shape: input.shape, scalars: x))
      x[i] = original
      let numeric = (plus - minus) / (2 * Double(step))
      let analytic = Double(dx.scalars[i])
      if abs(numeric - analytic) > absoluteTolerance + relativeTolerance * abs(analytic) {
        mismatches.append(Mismatch(what: "input", index: i, numeric: numeric, analytic: analytic))
      }
    }
    for (parameter, analytic) in zip(layer.parameters.filter(\.isTrainable), analyticParameters) {
      for i in parameter.value.indices {
        let original = parameter.value[i]
        parameter.value[i] = original + step
        let plus = try loss(input)
        parameter.value[i] = original - step
        let minus = try loss(input)
        parameter.value[i] = original
        let numeric = (plus - minus) / (2 * Double(step))
        if abs(numeric - Double(analytic[i])) > absoluteTolerance + relativeTolerance * abs(Double(analytic[i])) {
          mismatches.append(Mismatch(what: parameter.role, index: i, numeric: numeric, analytic: Double(analytic[i])))
        }
      }
    }
    return mismatches
  }
}
