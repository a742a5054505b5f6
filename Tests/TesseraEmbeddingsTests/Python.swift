import Foundation

/// Runs `python3` for the tests that compare with Python references.
enum Python {
  /// True when numpy, safetensors and the Hugging Face `tokenizers` package import (the reference script needs them).
  static let hasReference = run("import numpy, safetensors, tokenizers", arguments: []).status == 0

  /// Runs a script with `python3 -c` and returns its exit status and combined output.
  /// - Parameters:
  ///   - script: Python source.
  ///   - arguments: `sys.argv[1...]`.
  static func run(_ script: String, arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
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
