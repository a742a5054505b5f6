import Testing
@testable import TesseraCompression

/// Parsing of pruning methods and low-rank targets, and their errors for bad input.
@Suite struct PruningMethodTests {
  @Test(arguments: [
    ("dense", PruningMethod.dense), ("magnitude:0.8", .magnitude(sparsity: 0.8)), ("global:0.5", .globalMagnitude(sparsity: 0.5)),
    ("2:4", .nOfM(n: 2, m: 4)), ("1:8", .nOfM(n: 1, m: 8)), ("4:4", .nOfM(n: 4, m: 4)), ("channel:0.5", .channel(fraction: 0.5)),
    ("magnitude:0", .magnitude(sparsity: 0)), (" Magnitude : 0.25 ", .magnitude(sparsity: 0.25)),
  ])
  func parsesAndRoundTrips(text: String, expected: PruningMethod) throws {
    let method = try PruningMethod(parsing: text)
    #expect(method == expected)
    #expect(try PruningMethod(parsing: method.description) == method)
  }

  @Test(arguments: ["magnitude:1", "magnitude:1.0", "global:-0.1", "channel:1", "magnitude:1.5", "global:nan", "magnitude:inf"])
  func rejectsSparsityOutsideUnitInterval(text: String) {
    #expect(throws: CompressionError.self) { try PruningMethod(parsing: text) }
    do {
      _ = try PruningMethod(parsing: text)
    } catch let error as CompressionError {
      guard case .invalidSparsity = error else {
        Issue.record("expected invalidSparsity for \(text), got \(error)")
        return
      }
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test(arguments: [("5:4", 5, 4), ("0:4", 0, 4), ("2:0", 2, 0), ("-1:4", -1, 4)])
  func rejectsBadPatterns(text: String, n: Int, m: Int) {
    #expect(throws: CompressionError.invalidPattern(n: n, m: m)) { try PruningMethod(parsing: text) }
  }

  @Test(arguments: ["", "sparse", "magnitude", "magnitude:", "magnitude:abc", "foo:0.5", "2:4:8", "2.5:4", ":"])
  func rejectsGarbage(text: String) {
    #expect(throws: CompressionError.self) { try PruningMethod(parsing: text) }
  }

  @Test func errorMessagesAreOneLine() {
    for text in ["magnitude:1", "5:4", "garbage", "0:4"] {
      do {
        _ = try PruningMethod(parsing: text)
        Issue.record("\(text) parsed")
      } catch {
        let message = "\(error)"
        #expect(!message.isEmpty && !message.contains("\n"), "\(text): \(message)")
      }
    }
  }

  @Test func validateCatchesValuesBuiltWithoutParsing() {
    #expect(throws: CompressionError.invalidSparsity(1)) { try PruningMethod.magnitude(sparsity: 1).validate() }
    #expect(throws: CompressionError.invalidPattern(n: 3, m: 2)) { try PruningMethod.nOfM(n: 3, m: 2).validate() }
    #expect(throws: Never.self) { try PruningMethod.channel(fraction: 0.5).validate() }
  }

  @Test(arguments: [("rank:96", LowRankTarget.rank(96)), ("energy:0.9", .energy(0.9)), ("params:0.5", .parameterFraction(0.5)), ("energy:1", .energy(1))])
  func parsesLowRankTargets(text: String, expected: LowRankTarget) throws {
    let target = try LowRankTarget(parsing: text)
    #expect(target == expected)
    #expect(try LowRankTarget(parsing: target.description) == target)
  }

  @Test(arguments: ["rank:0", "rank:-3", "energy:0", "energy:1.5", "params:1", "params:0", "params:x", "svd:3", "rank", ""])
  func rejectsBadLowRankTargets(text: String) {
    #expect(throws: CompressionError.self) { try LowRankTarget(parsing: text) }
  }
}
