import Testing
@testable import TesseraNN

/// Compact weight storage: exact round trips for dense, sparse, 2:4, 4-bit and 2-bit codes
/// including the extremes, the sizes the format promises, and clear errors for corrupt bytes.
@Suite("Compact weights")
struct CompactWeightsTests {
  /// Deterministic codes in `-(2^(b-1))...2^(b-1)-1` with about `zeroFraction` zeros.
  static func codes(_ count: Int, bits: Int, zeroFraction: Double, seed: UInt64) -> [Int8] {
    var state = seed
    func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    let lo = -(1 << (bits - 1)), span = 1 << bits
    return (0..<count).map { _ in
      if Double(next() % 10_000) / 10_000 < zeroFraction { return 0 }
      var v = lo + Int(next() % UInt64(span))
      if v == 0 { v = 1 }
      return Int8(v)
    }
  }

  @Test(arguments: [2, 3, 4, 5, 6, 7, 8])
  func everyEncodingRoundTripsWithExtremes(bits: Int) throws {
    let lo = Int8(-(1 << (bits - 1))), hi = Int8((1 << (bits - 1)) - 1)
    for count in [0, 1, 7, 8, 9, 63, 1000] {
      var values = Self.codes(count, bits: bits, zeroFraction: 0.3, seed: UInt64(count * 10 + bits))
      if count >= 3 { values[0] = lo; values[1] = hi; values[count - 1] = lo }
      for encoding in CompactWeights.Encoding.allCases {
        let bytes = CompactWeights.encode(values, as: encoding, bits: bits)
        let nonzeros = values.filter { $0 != 0 }.count
        #expect(bytes.count == CompactWeights.byteCount(encoding, count: count, nonzeros: nonzeros, bits: bits))
        #expect(try CompactWeights.decode(bytes, encoding: encoding, count: count, bits: bits) == values)
      }
    }
  }

  @Test func extremesOfFourAndEightBits() throws {
    let four: [Int8] = [-8, 7, 0, -1, 1, -8, 7]
    for encoding in CompactWeights.Encoding.allCases {
      #expect(try CompactWeights.decode(CompactWeights.encode(four, as: encoding, bits: 4), encoding: encoding, count: 7, bits: 4) == four)
    }
    let eight: [Int8] = [-128, 127, 0, 0, 0, 0, -1, 0, 0, 0]
    let (encoding, bytes) = CompactWeights.encode(eight, bits: 8)
    #expect(encoding == .bitmask)  // 2 mask bytes + 3 codes < 10 dense bytes
    #expect(bytes.count == 5)
    #expect(try CompactWeights.decode(bytes, encoding: encoding, count: 10, bits: 8) == eight)
  }

  @Test func twoFourSparsityRoundTrips() throws {
    // 2 non-zeros in every group of 4 consecutive inputs (NVIDIA 2:4), 4-bit codes.
    var values = Self.codes(16 * 64, bits: 4, zeroFraction: 0, seed: 5)
    for g in stride(from: 0, to: values.count, by: 4) { values[g + (g / 4) % 4] = 0; values[g + (g / 4 + 1) % 4] = 0 }
    let (encoding, bytes) = CompactWeights.encode(values, bits: 4)
    #expect(encoding == .bitmask)
    #expect(bytes.count == values.count / 8 + values.count / 2 * 4 / 8)
    #expect(try CompactWeights.decode(bytes, encoding: encoding, count: values.count, bits: 4) == values)
  }

  @Test func smallestEncodingIsChosenAndSizesShrink() throws {
    let n = 4096
    // 8-bit dense: stays int8 (the old layout).
    #expect(CompactWeights.encode(Self.codes(n, bits: 8, zeroFraction: 0, seed: 1), bits: 8).encoding == .dense)
    // 4-bit dense: bit-packed, half the bytes.
    let w4 = CompactWeights.encode(Self.codes(n, bits: 4, zeroFraction: 0, seed: 2), bits: 4)
    #expect(w4.encoding == .bitpacked && w4.bytes.count == n / 2)
    // 50 %-sparse 4-bit: bitmask, under 40 % of the dense int8 bytes.
    let sparse = Self.codes(n, bits: 4, zeroFraction: 0.5, seed: 3)
    let s4 = CompactWeights.encode(sparse, bits: 4)
    #expect(s4.encoding == .bitmask)
    #expect(Double(s4.bytes.count) < 0.40 * Double(n))
    // 2-bit: a quarter.
    #expect(CompactWeights.encode(Self.codes(n, bits: 2, zeroFraction: 0, seed: 4), bits: 2).bytes.count == n / 4)
  }

  @Test func corruptBytesAreErrorsNotCrashes() throws {
    let values = Self.codes(101, bits: 4, zeroFraction: 0.5, seed: 9)
    for encoding in [CompactWeights.Encoding.bitpacked, .bitmask, .dense] {
      let bytes = CompactWeights.encode(values, as: encoding, bits: 4)
      // Truncated, padded, empty.
      for bad in [Array(bytes.dropLast()), bytes + [0], []] {
        #expect(throws: CompactWeightsError.self) { _ = try CompactWeights.decode(bad, encoding: encoding, count: 101, bits: 4) }
      }
    }
    // Stray padding bits after the last bit-packed code (101 · 4 bits ends mid-byte).
    var packed = CompactWeights.encode(values, as: .bitpacked, bits: 4)
    packed[packed.count - 1] |= 0xF0
    #expect(throws: CompactWeightsError.self) { _ = try CompactWeights.decode(packed, encoding: .bitpacked, count: 101, bits: 4) }
    // A mask bit past the last code.
    var masked = CompactWeights.encode(values, as: .bitmask, bits: 4)
    masked[12] |= 0x80
    #expect(throws: CompactWeightsError.self) { _ = try CompactWeights.decode(masked, encoding: .bitmask, count: 101, bits: 4) }
    // Bad widths.
    #expect(throws: CompactWeightsError.self) { _ = try CompactWeights.decode([0], encoding: .bitpacked, count: 1, bits: 9) }
  }
}
