extension Tensor where Scalar == Float {
  /// True when no element of the view is NaN or infinite (true for an empty tensor).
  /// - Complexity: O(count).
  public var allFinite: Bool {
    withUnsafeBufferPointer { buffer in
      // Summing x·0 turns any NaN/±inf into NaN; one branch at the end keeps the loop vectorizable.
      var probe: Float = 0
      for value in buffer { probe += value * 0 }
      return probe == 0
    }
  }
}
