import Foundation
import Tessera

/// Which libraries one `tessera-peers` run times (`--libraries`), so each can run alone in
/// its own process: batch-1 GEMV streams its weights from L2/L3, and a library timed
/// in the same process as another shares that cache with it.
///
/// Names: `tessera` (the selected int8 kernel: best ISA or `TESSERA_ISA`), `scalar`
/// (Tessera's scalar kernel), `onednn`, `xnnpack`, `openblas`. The default is all of them,
/// which gives the rows `tessera-peers` always printed.
struct LibrarySelection: Equatable {
  /// One selectable library.
  enum Library: String, CaseIterable {
    case tessera, scalar, onednn, xnnpack, openblas
  }

  /// The chosen libraries, each once, in the order given.
  let libraries: [Library]

  /// Every library, in report order.
  static let all = LibrarySelection(libraries: Library.allCases)

  /// Parses a comma-separated list such as `tessera,xnnpack` (case-insensitive, spaces
  /// around names ignored, repeats dropped).
  /// - Parameter list: the `--libraries` value.
  /// - Throws: ``TesseraError/invalidArgument(_:)`` naming an unknown or missing name.
  init(parsing list: String) throws {
    var chosen = [Library]()
    for part in list.split(separator: ",", omittingEmptySubsequences: false) {
      let word = part.trimmingCharacters(in: .whitespaces).lowercased()
      guard let library = Library(rawValue: word) else {
        let known = Library.allCases.map(\.rawValue).joined(separator: ", ")
        let shown = word.isEmpty ? "an empty name" : "'\(word)'"
        throw TesseraError.invalidArgument("--libraries: \(shown) is not a library; choose from \(known)")
      }
      if !chosen.contains(library) { chosen.append(library) }
    }
    self.init(libraries: chosen)
  }

  init(libraries: [Library]) { self.libraries = libraries }

  /// Whether `library` is timed.
  func contains(_ library: Library) -> Bool { libraries.contains(library) }

  /// Tessera's and OpenBLAS's rows among `standard` (``GEMMImplementation/standard(for:)``:
  /// the selected kernel first, then the scalar kernel unless it is the selected one, then
  /// OpenBLAS) that this selection keeps.
  func filter(_ standard: [GEMMImplementation]) -> [GEMMImplementation] {
    standard.enumerated().filter { index, implementation in
      switch implementation {
      case .tessera: contains(index == 0 ? .tessera : .scalar)
      case .openBLAS: contains(.openblas)
      }
    }.map(\.element)
  }
}
