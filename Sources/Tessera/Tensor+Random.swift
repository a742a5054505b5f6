extension Tensor where Scalar == Float {
  /// A tensor of uniform samples in `range`, reproducible from `seed`.
  ///
  /// For example:
  /// ```swift
  /// let a = try Tensor<Float>.random(shape: [128, 64], seed: 7, in: -1..<1)
  /// ```
  /// - Parameters:
  ///   - shape: dimensions (each ≥ 0).
  ///   - seed: seed of a fresh ``SplitMix64``.
  ///   - range: a non-empty finite range (default `0..<1`).
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for negative dimensions,
  ///   ``TesseraError/invalidArgument(_:)`` for an empty or non-finite range.
  /// - Complexity: O(count).
  public static func random(shape: [Int], seed: UInt64, in range: Range<Float> = 0..<1) throws -> Tensor {
    var generator = SplitMix64(seed: seed)
    return try random(shape: shape, in: range, using: &generator)
  }

  /// A tensor of uniform samples in `range` drawn from `generator` (which advances).
  /// - Parameters:
  ///   - shape: dimensions (each ≥ 0).
  ///   - range: a non-empty finite range.
  ///   - generator: the stream to draw from.
  /// - Throws: as ``random(shape:seed:in:)-(_,_,Range<Float>)``.
  /// - Complexity: O(count).
  public static func random(
    shape: [Int], in range: Range<Float> = 0..<1, using generator: inout SplitMix64
  ) throws -> Tensor {
    try checkShape(shape, "Tensor.random")
    guard range.lowerBound.isFinite, range.upperBound.isFinite, !range.isEmpty else {
      throw TesseraError.invalidArgument("Tensor.random: range \(range) must be finite and non-empty")
    }
    let count = shape.reduce(1, *)
    var values = [Float]()
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(generator.nextFloat(in: range)) }
    return try Tensor(shape: shape, scalars: values)
  }

  /// A tensor of normal samples, reproducible from `seed`.
  /// - Parameters:
  ///   - shape: dimensions (each ≥ 0).
  ///   - seed: seed of a fresh ``SplitMix64``.
  ///   - mean: the distribution's mean (finite).
  ///   - standardDeviation: the distribution's deviation (finite, ≥ 0).
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for negative dimensions,
  ///   ``TesseraError/invalidArgument(_:)`` for a non-finite mean or bad deviation.
  /// - Complexity: O(count).
  public static func randomNormal(
    shape: [Int], seed: UInt64, mean: Float = 0, standardDeviation: Float = 1
  ) throws -> Tensor {
    var generator = SplitMix64(seed: seed)
    return try randomNormal(shape: shape, mean: mean, standardDeviation: standardDeviation, using: &generator)
  }

  /// A tensor of normal samples drawn from `generator` (which advances).
  /// - Parameters:
  ///   - shape: dimensions (each ≥ 0).
  ///   - mean: the distribution's mean (finite).
  ///   - standardDeviation: the distribution's deviation (finite, ≥ 0).
  ///   - generator: the stream to draw from.
  /// - Throws: as ``randomNormal(shape:seed:mean:standardDeviation:)``.
  /// - Complexity: O(count).
  public static func randomNormal(
    shape: [Int], mean: Float = 0, standardDeviation: Float = 1, using generator: inout SplitMix64
  ) throws -> Tensor {
    try checkShape(shape, "Tensor.randomNormal")
    guard mean.isFinite, standardDeviation.isFinite, standardDeviation >= 0 else {
      throw TesseraError.invalidArgument(
        "Tensor.randomNormal: mean \(mean) and standard deviation \(standardDeviation) must be finite, deviation ≥ 0")
    }
    let count = shape.reduce(1, *)
    var values = [Float]()
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(mean + standardDeviation * generator.nextNormal()) }
    return try Tensor(shape: shape, scalars: values)
  }
}

extension Tensor where Scalar: FixedWidthInteger {
  /// A tensor of uniform integers in `range`, reproducible from `seed`.
  ///
  /// For example:
  /// ```swift
  /// let w = try Tensor<Int8>.random(shape: [256, 512], seed: 1, in: -127...127)
  /// ```
  /// - Parameters:
  ///   - shape: dimensions (each ≥ 0).
  ///   - seed: seed of a fresh ``SplitMix64``.
  ///   - range: inclusive range of values (default: the whole type).
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for negative dimensions.
  /// - Complexity: O(count).
  public static func random(
    shape: [Int], seed: UInt64, in range: ClosedRange<Scalar> = Scalar.min...Scalar.max
  ) throws -> Tensor {
    var generator = SplitMix64(seed: seed)
    return try random(shape: shape, in: range, using: &generator)
  }

  /// A tensor of uniform integers in `range` drawn from `generator` (which advances).
  /// - Parameters:
  ///   - shape: dimensions (each ≥ 0).
  ///   - range: inclusive range of values.
  ///   - generator: the stream to draw from.
  /// - Throws: ``TesseraError/invalidShape(operation:shape:reason:)`` for negative dimensions.
  /// - Complexity: O(count).
  public static func random(
    shape: [Int], in range: ClosedRange<Scalar>, using generator: inout SplitMix64
  ) throws -> Tensor {
    try checkShape(shape, "Tensor.random")
    let low = Int64(range.lowerBound), span = UInt64(Int64(range.upperBound) - low) + 1
    let count = shape.reduce(1, *)
    var values = [Scalar]()
    values.reserveCapacity(count)
    for _ in 0..<count {
      values.append(Scalar(truncatingIfNeeded: low + Int64(generator.nextInt(below: span))))
    }
    return try Tensor(shape: shape, scalars: values)
  }
}
