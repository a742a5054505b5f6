import Foundation

/// Hugging Face's `BertNormalizer`, on Unicode scalars.
///
/// The steps run in HF's order:
/// 1. clean text: drop U+0000, U+FFFD and controls (Cc, Cf, Co; not tab, LF, CR), map whitespace
///    to U+0020;
/// 2. surround CJK ideographs with spaces;
/// 3. strip accents: NFD, then drop nonspacing marks (Mn);
/// 4. lowercase each scalar with its full Unicode lowercase mapping (like Rust's
///    `char::to_lowercase`, so `İ` → `i̇` and `Σ` → `σ` everywhere).
public struct BertNormalizer: Sendable, Equatable {
  /// Step 1: remove control characters and map whitespace to spaces.
  public var cleanText: Bool
  /// Step 2: put spaces around CJK ideographs, so each becomes a word.
  public var handleChineseCharacters: Bool
  /// Step 3: decompose (NFD) and remove nonspacing marks.
  public var stripAccents: Bool
  /// Step 4: lowercase.
  public var lowercase: Bool

  /// Makes a normalizer; `stripAccents: nil` follows `lowercase`, as in HF.
  /// - Parameters:
  ///   - cleanText: remove controls and map whitespace to spaces.
  ///   - handleChineseCharacters: surround CJK ideographs with spaces.
  ///   - stripAccents: NFD and drop nonspacing marks; `nil` means the value of `lowercase`.
  ///   - lowercase: lowercase every scalar.
  public init(
    cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true
  ) {
    self.cleanText = cleanText
    self.handleChineseCharacters = handleChineseCharacters
    self.stripAccents = stripAccents ?? lowercase
    self.lowercase = lowercase
  }

  /// Normalizes a text.
  ///
  /// ```swift
  /// BertNormalizer().normalize("Héllo\tWORLD") // "hello world"
  /// ```
  /// - Complexity: O(n) in the number of scalars.
  public func normalize(_ text: String) -> String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: normalize(Array(text.unicodeScalars)[...]))
    return String(view)
  }

  /// Normalizes a run of scalars.
  /// - Complexity: O(n) in the number of scalars.
  public func normalize(_ scalars: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(scalars.count + 8)
    let control = BertCharacterClass.control
    let whitespace = BertCharacterClass.whitespace
    for scalar in scalars {
      let v = scalar.value
      if v < 0x80 {
        // ASCII: controls are 0x00–0x1F and 0x7F; tab, LF and CR are whitespace.
        if cleanText && (v < 0x20 || v == 0x7F) {
          if v == 0x09 || v == 0x0A || v == 0x0D { out.append(" ") }
          continue
        }
        out.append(scalar)
        continue
      }
      if cleanText {
        if control.contains(scalar) { continue }
        if whitespace.contains(scalar) {
          out.append(" ")
          continue
        }
      }
      if handleChineseCharacters && BertCharacterClass.isChineseCharacter(scalar) {
        out.append(" ")
        out.append(scalar)
        out.append(" ")
        continue
      }
      out.append(scalar)
    }
    if stripAccents { out = Self.strippingAccents(out) }
    if lowercase { out = Self.lowercased(out) }
    return out
  }

  /// NFD, then without nonspacing marks. Nothing below U+00C0 decomposes, so pure ASCII-like
  /// text skips Foundation.
  static func strippingAccents(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    let decomposed: [Unicode.Scalar]
    if scalars.allSatisfy({ $0.value < 0xC0 }) {
      decomposed = scalars
    } else {
      var text = String.UnicodeScalarView()
      text.append(contentsOf: scalars)
      decomposed = Array(String(text).decomposedStringWithCanonicalMapping.unicodeScalars)
    }
    let marks = BertCharacterClass.nonspacingMark
    return decomposed.filter { $0.value < 0x300 || !marks.contains($0) }
  }

  /// Each scalar replaced by its full lowercase mapping, without context (no final-sigma rule).
  static func lowercased(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(scalars.count)
    for scalar in scalars {
      if scalar.isASCII {
        let v = scalar.value
        out.append(v >= 65 && v <= 90 ? Unicode.Scalar(UInt8(v + 32)) : scalar)
      } else if scalar.properties.changesWhenLowercased {
        out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return out
  }
}
