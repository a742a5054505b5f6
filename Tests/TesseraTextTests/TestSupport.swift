import Foundation

@testable import TesseraText

/// A temporary folder removed by `remove()`.
struct TempFolder {
  /// The folder.
  let url: URL

  /// Creates a fresh folder under the temporary directory.
  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  /// The URL of `name` inside the folder.
  func file(_ name: String) -> URL { url.appendingPathComponent(name) }

  /// Writes `bytes` to `name` and returns its URL.
  @discardableResult
  func write(_ name: String, bytes: [UInt8]) throws -> URL {
    let file = file(name)
    try Data(bytes).write(to: file)
    return file
  }

  /// Writes `text` (UTF-8) to `name` and returns its URL.
  @discardableResult
  func write(_ name: String, text: String) throws -> URL { try write(name, bytes: Array(text.utf8)) }

  /// Deletes the folder.
  func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A tiny handmade vocabulary; ids are line numbers.
let tinyVocabulary = [
  "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "aff", "able", "##a", "a", "b", "##b",
  "the", "cafe", "!", ",", ".", "中", "文", "hello", "world", "##s", "x", "##x",
]

/// A tokenizer over ``tinyVocabulary`` loaded from a `vocab.txt` in `folder`.
func tinyTokenizer(
  in folder: TempFolder, lowercase: Bool = true, stripAccents: Bool? = nil, maxInputCharactersPerWord: Int = 100
) throws -> WordPieceTokenizer {
  let file = try folder.write("vocab.txt", text: tinyVocabulary.joined(separator: "\n") + "\n")
  return try WordPieceTokenizer(
    vocabulary: file, lowercase: lowercase, stripAccents: stripAccents,
    maxInputCharactersPerWord: maxInputCharactersPerWord)
}

/// The tokens of `text` without [CLS] and [SEP].
func pieces(_ tokenizer: WordPieceTokenizer, _ text: String) -> [String] {
  tokenizer.tokenIds(text).map { tokenizer.token(for: $0) }
}

/// `text` with every non-printable-ASCII scalar as `\u{…}`, for failure messages.
func escaped(_ text: String) -> String {
  text.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "\\u{\(String($0.value, radix: 16))}" }
    .joined()
}
