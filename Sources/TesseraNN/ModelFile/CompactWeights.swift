/// Compact storage of integer weight codes in a model file (docs/quantization.md, "Compact
/// weights in the int8 model file").
///
/// A layer's codes (signed, each fitting `bits` two's-complement bits) are stored one of three ways,
/// whichever is smallest (ties prefer the earlier):
/// - `dense`: one int8 per code, the tensor has the weight's shape (every file before this format);
/// - `bitpacked`: every code's low `bits` bits, LSB first, code `i` at stream bits `[i·b, (i+1)·b)`;
///   `⌈count·b / 8⌉` bytes;
/// - `bitmask`: a presence mask (bit `i`, LSB first, set when code `i` ≠ 0; `⌈count / 8⌉` bytes),
///   then the non-zero codes bit-packed as above; `⌈count / 8⌉ + ⌈nnz·b / 8⌉` bytes.
///
/// The compact forms are stored as a 1-D uint8 tensor under the weight's usual name, and the layer's
/// graph attribute `weight_encoding` names the form (absent = `dense`).
///
/// For example:
/// ```swift
/// let (encoding, bytes) = CompactWeights.encode([0, -8, 7, 0], bits: 4)   // bitpacked, 2 bytes
/// let codes = try CompactWeights.decode(bytes, encoding: encoding, count: 4, bits: 4)
/// ```
public enum CompactWeights {
  /// How a weight tensor is stored.
  public enum Encoding: String, Sendable, CaseIterable {
    /// One int8 per code in the weight's shape.
    case dense
    /// Codes bit-packed at the layer's width.
    case bitpacked
    /// Presence bitmask + bit-packed non-zero codes.
    case bitmask
  }

  /// The graph attribute naming a layer's encoding.
  public static let attribute = "weight_encoding"

  /// Bytes each encoding takes for `count` codes of which `nonzeros` are non-zero.
  public static func byteCount(_ encoding: Encoding, count: Int, nonzeros: Int, bits: Int) -> Int {
    switch encoding {
    case .dense: count
    case .bitpacked: (count * bits + 7) / 8
    case .bitmask: (count + 7) / 8 + (nonzeros * bits + 7) / 8
    }
  }

  /// The smallest encoding of `codes` and its bytes (`dense` returns the codes' bit patterns).
  /// - Parameters:
  ///   - codes: the codes; each must fit `bits` signed bits.
  ///   - bits: 2...8.
  public static func encode(_ codes: [Int8], bits: Int) -> (encoding: Encoding, bytes: [UInt8]) {
    let nonzeros = codes.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
    let best = Encoding.allCases.min {
      byteCount($0, count: codes.count, nonzeros: nonzeros, bits: bits) < byteCount($1, count: codes.count, nonzeros: nonzeros, bits: bits)
    }!
    return (best, encode(codes, as: best, bits: bits))
  }

  /// `codes` in the given encoding.
  public static func encode(_ codes: [Int8], as encoding: Encoding, bits: Int) -> [UInt8] {
    switch encoding {
    case .dense:
      return codes.map { UInt8(bitPattern: $0) }
    case .bitpacked:
      return pack(codes[...], bits: bits)
    case .bitmask:
      var mask = [UInt8](repeating: 0, count: (codes.count + 7) / 8)
      for (i, c) in codes.enumerated() where c != 0 { mask[i >> 3] |= 1 << UInt8(i & 7) }
      return mask + pack(codes.filter { $0 != 0 }[...], bits: bits)
    }
  }

  /// Expands stored bytes back to `count` int8 codes.
  /// - Parameters:
  ///   - bytes: the stored tensor's bytes.
  ///   - encoding: how they were stored.
  ///   - count: codes expected (the weight shape's element count).
  ///   - bits: 2...8.
  /// - Throws: ``CompactWeightsError`` when the byte count does not match (a truncated or padded
  ///   tensor), when mask bits past `count` or padding bits are set, or when `bits` is outside 2...8.
  public static func decode(_ bytes: [UInt8], encoding: Encoding, count: Int, bits: Int) throws -> [Int8] {
    guard (2...8).contains(bits) else { throw CompactWeightsError("weight_bits \(bits) is outside 2...8") }
    guard count >= 0 else { throw CompactWeightsError("negative code count \(count)") }
    switch encoding {
    case .dense:
      guard bytes.count == count else { throw CompactWeightsError("dense weights hold \(bytes.count) bytes, expected \(count)") }
      return bytes.map { Int8(bitPattern: $0) }
    case .bitpacked:
      let expected = byteCount(.bitpacked, count: count, nonzeros: 0, bits: bits)
      guard bytes.count == expected else {
        throw CompactWeightsError("bit-packed weights hold \(bytes.count) bytes, expected \(expected) for \(count) \(bits)-bit codes")
      }
      return try unpack(bytes[...], count: count, bits: bits)
    case .bitmask:
      let maskBytes = (count + 7) / 8
      guard bytes.count >= maskBytes else {
        throw CompactWeightsError("bitmask weights hold \(bytes.count) bytes, fewer than the \(maskBytes)-byte mask")
      }
      var nonzeros = 0
      for b in bytes[0..<maskBytes] { nonzeros += b.nonzeroBitCount }
      if count % 8 != 0, bytes[maskBytes - 1] >> UInt8(count % 8) != 0 {
        throw CompactWeightsError("bitmask has bits set past the \(count) codes")
      }
      let expected = maskBytes + (nonzeros * bits + 7) / 8
      guard bytes.count == expected else {
        throw CompactWeightsError("bitmask weights hold \(bytes.count) bytes, expected \(expected) for \(nonzeros) non-zero \(bits)-bit codes")
      }
      let values = try unpack(bytes[maskBytes...], count: nonzeros, bits: bits)
      if let zero = values.firstIndex(of: 0) {
        throw CompactWeightsError("bitmask marks code \(zero) of the non-zero list present but it is 0")
      }
      var out = [Int8](repeating: 0, count: count)
      var next = 0
      for i in 0..<count where bytes[i >> 3] & (1 << UInt8(i & 7)) != 0 {
        out[i] = values[next]
        next += 1
      }
      return out
    }
  }

  /// Low `bits` bits of each code, LSB first.
  static func pack(_ codes: ArraySlice<Int8>, bits: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: (codes.count * bits + 7) / 8)
    let mask = UInt16((1 << bits) - 1)
    var bit = 0
    for c in codes {
      let v = UInt16(UInt8(bitPattern: c)) & mask
      let shifted = v << UInt16(bit & 7)
      out[bit >> 3] |= UInt8(shifted & 0xFF)
      if shifted > 0xFF { out[(bit >> 3) + 1] |= UInt8(shifted >> 8) }
      bit += bits
    }
    return out
  }

  /// Inverse of ``pack(_:bits:)`` with sign extension; padding bits must be zero.
  static func unpack(_ bytes: ArraySlice<UInt8>, count: Int, bits: Int) throws -> [Int8] {
    let base = bytes.startIndex
    var out = [Int8](repeating: 0, count: count)
    let mask = UInt16((1 << bits) - 1)
    var bit = 0
    for i in 0..<count {
      let byte = base + (bit >> 3)
      var word = UInt16(bytes[byte])
      if byte + 1 < bytes.endIndex { word |= UInt16(bytes[byte + 1]) << 8 }
      let v = (word >> UInt16(bit & 7)) & mask
      // Sign-extend from `bits` bits.
      let signed = Int16(bitPattern: v << UInt16(16 - bits)) >> Int16(16 - bits)
      out[i] = Int8(signed)
      bit += bits
    }
    let used = count * bits
    if used % 8 != 0, let last = bytes.last, last >> UInt8(used % 8) != 0 {
      throw CompactWeightsError("bit-packed weights have padding bits set after the last code")
    }
    return out
  }
}

extension CompactWeights {
  /// The encoding a layer declares (`weight_encoding`; `dense` when absent, nil when unknown).
  public static func encoding(of spec: LayerSpec) -> Encoding? {
    Encoding(rawValue: spec.attributes[attribute]?.string ?? Encoding.dense.rawValue)
  }

  /// Element count of a built-in layer's `weight` tensor from its attributes (nil when the kind
  /// has no weight or the attributes are bad), for expanding a compact tensor.
  public static func weightCount(of spec: LayerSpec) -> Int? {
    guard let layer = try? LayerKinds.makeLayer(spec) else { return nil }
    return layer.parameters.first { $0.role == "weight" }.map { $0.shape.reduce(1, *) }
  }
}
