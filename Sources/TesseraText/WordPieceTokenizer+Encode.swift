extension WordPieceTokenizer {
  /// The ids of a text's tokens, without special tokens, truncation or padding.
  /// - Complexity: O(n) in the length of the text (words are at most
  ///   ``WordPieceModel/maxInputCharactersPerWord`` scalars long before they become `[UNK]`).
  public func tokenIds(_ text: String) -> [Int32] {
    let raw = Array(text.unicodeScalars)
    var ids: [Int32] = []
    ids.reserveCapacity(raw.count / 3 + 4)
    for piece in addedTokens.split(raw) {
      switch piece {
      case let .token(id):
        ids.append(id)
      case let .text(range):
        let normalized = normalizer.normalize(raw[range])
        for word in preTokenizer.words(in: normalized) {
          model.tokenize(normalized[word], into: &ids)
        }
      }
    }
    return ids
  }

  /// Encodes one text: its tokens, truncated, between `[CLS]` and `[SEP]`, then padded if
  /// ``padding`` asks for a fixed length.
  ///
  /// ```swift
  /// let encoding = tokenizer.encode("A long text …", maxLength: 128)
  /// ```
  /// - Parameters:
  ///   - text: the text.
  ///   - maxLength: the most ids, special tokens included (HF's `longest_first` on one sequence
  ///     drops the text's last tokens); `nil` uses ``truncation``.
  /// - Returns: ids, tokens, attention mask and type ids.
  public func encode(_ text: String, maxLength: Int? = nil) -> Encoding {
    let ids = truncatedWithSpecialTokens(tokenIds(text), maxLength: maxLength)
    var encoding = Encoding(
      ids: ids, tokens: ids.map { token(for: $0) }, attentionMask: Array(repeating: 1, count: ids.count),
      typeIds: Array(repeating: 0, count: ids.count))
    if let padding, case .fixed = padding.length {
      pad(&encoding, to: padding.target(longest: ids.count), with: padding)
    }
    return encoding
  }

  /// Encodes UTF-8 bytes, like ``encode(_:maxLength:)``.
  /// - Parameters:
  ///   - bytes: UTF-8 text.
  ///   - maxLength: the most ids, special tokens included; `nil` uses ``truncation``.
  /// - Throws: ``TokenizerError/invalidUTF8Input(offset:)`` naming the first bad byte.
  public func encode(utf8 bytes: some Collection<UInt8>, maxLength: Int? = nil) throws -> Encoding {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw TokenizerError.invalidUTF8Input(offset: firstInvalidUTF8Offset(bytes))
    }
    return encode(text, maxLength: maxLength)
  }

  /// Encodes several texts and pads them to the longest (or to ``padding``'s fixed length).
  ///
  /// ```swift
  /// let batch = tokenizer.encode(batch: ["first text", "second"], maxLength: 128)
  /// // batch.ids has batch.count × batch.sequenceLength entries
  /// ```
  /// - Parameters:
  ///   - texts: the texts.
  ///   - maxLength: the most ids per text, special tokens included; `nil` uses ``truncation``.
  /// - Returns: row-major ids, mask and type ids, with each text's real length.
  public func encode(batch texts: [String], maxLength: Int? = nil) -> BatchEncoding {
    let rows = texts.map { truncatedWithSpecialTokens(tokenIds($0), maxLength: maxLength) }
    let longest = rows.map(\.count).max() ?? 0
    let setting = padding ?? Padding(padId: padId, padToken: token(for: padId))
    let width = setting.target(longest: longest)
    var ids: [Int32] = []
    var mask: [Int32] = []
    ids.reserveCapacity(rows.count * width)
    mask.reserveCapacity(rows.count * width)
    for row in rows {
      let fill = width - row.count
      if setting.side == .left {
        ids += Array(repeating: setting.padId, count: fill) + row
        mask += Array(repeating: 0, count: fill) + Array(repeating: 1, count: row.count)
      } else {
        ids += row + Array(repeating: setting.padId, count: fill)
        mask += Array(repeating: 1, count: row.count) + Array(repeating: 0, count: fill)
      }
    }
    return BatchEncoding(
      count: rows.count, sequenceLength: width, ids: ids, attentionMask: mask,
      typeIds: Array(repeating: 0, count: ids.count), lengths: rows.map(\.count))
  }

  /// `[CLS] tokens [SEP]` with the tokens cut so the whole fits in `maxLength` (or
  /// ``truncation``'s length).
  func truncatedWithSpecialTokens(_ tokens: [Int32], maxLength: Int?) -> [Int32] {
    var tokens = tokens
    let limit = maxLength ?? truncation?.maxLength
    if let limit {
      let keep = max(0, limit - prefixIds.count - suffixIds.count)
      if tokens.count > keep {
        if maxLength == nil, truncation?.side == .left {
          tokens.removeFirst(tokens.count - keep)
        } else {
          tokens.removeLast(tokens.count - keep)
        }
      }
    }
    return prefixIds + tokens + suffixIds
  }

  /// Pads `encoding` to `length` tokens.
  func pad(_ encoding: inout Encoding, to length: Int, with padding: Padding) {
    let fill = length - encoding.ids.count
    guard fill > 0 else { return }
    let ids = Array(repeating: padding.padId, count: fill)
    let tokens = Array(repeating: padding.padToken, count: fill)
    let zeros = Array(repeating: Int32(0), count: fill)
    if padding.side == .left {
      encoding.ids = ids + encoding.ids
      encoding.tokens = tokens + encoding.tokens
      encoding.attentionMask = zeros + encoding.attentionMask
      encoding.typeIds = zeros + encoding.typeIds
    } else {
      encoding.ids += ids
      encoding.tokens += tokens
      encoding.attentionMask += zeros
      encoding.typeIds += zeros
    }
  }
}

/// The byte offset of the first byte that is not part of a valid UTF-8 sequence.
func firstInvalidUTF8Offset(_ bytes: some Collection<UInt8>) -> Int {
  var iterator = bytes.makeIterator()
  var decoder = UTF8()
  var offset = 0
  while true {
    switch decoder.decode(&iterator) {
    case let .scalarValue(scalar): offset += UTF8.width(scalar)
    case .emptyInput: return offset
    case .error: return offset
    }
  }
}
