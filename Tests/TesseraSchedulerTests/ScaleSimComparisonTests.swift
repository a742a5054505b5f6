import Foundation
import Testing
@testable import TesseraScheduler

/// Cross-check with SCALE-Sim 3.0.0: for every layer of Models/golden/scalesim/layers.csv and
/// WS, OS and IS on a 32 × 32 array, compute cycles within 5 % and SRAM reads (ifmap + filter)
/// within 10 % of SCALE-Sim's. Runs when SCALE-Sim is importable: set TESSERA_SCALESIM_PYTHON to
/// an interpreter that has it, or create .venv-scalesim (see scripts/scalesim_compare.py);
/// otherwise the test shows as skipped.
struct ScaleSimComparisonTests {
  static var python: String? {
    if let path = ProcessInfo.processInfo.environment["TESSERA_SCALESIM_PYTHON"], !path.isEmpty { return path }
    let venv = HardwareSpecTests.repository.appendingPathComponent(".venv-scalesim/bin/python").path
    return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
  }

  struct Reference: Decodable {
    let name: String
    let dataflow: String
    let total_cycles: Int
    let ifmap_sram_reads: Int
    let filter_sram_reads: Int
  }

  @Test(.enabled(if: python != nil, "SCALE-Sim not found: set TESSERA_SCALESIM_PYTHON or create .venv-scalesim"))
  func cyclesAndSRAMReadsMatchScaleSim() throws {
    let root = HardwareSpecTests.repository
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.python!)
    process.arguments = [root.appendingPathComponent("scripts/scalesim_compare.py").path, "--scalesim-json"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "scalesim_compare.py --scalesim-json failed")
    let references = try JSONDecoder().decode([Reference].self, from: data)
    #expect(references.count >= 15)

    let spec = try HardwareSpec.load(root.appendingPathComponent("Models/golden/scalesim/systolic-32x32.yaml").path)
    let table = try String(contentsOf: root.appendingPathComponent("Models/golden/scalesim/layers.csv"), encoding: .utf8)
    var layers: [String: Workload] = [:]
    for line in table.split(separator: "\n").dropFirst() {
      let fields = line.split(separator: ",", maxSplits: 2).map(String.init)
      let args = fields[2].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
      layers[fields[0]] = fields[1] == "gemm" ? try Workload.parseGEMM(args) : try Workload.parseConv(args)
    }
    for reference in references {
      let layer = try #require(layers[reference.name])
      let flow = try #require(Dataflow(rawValue: reference.dataflow))
      let cost = try Mapper.search(layer, on: spec, options: MapperOptions(metric: .cycles, dataflows: [flow])).best
      let sram = cost.levels[1]
      let ours = Double((sram.reads[.input] ?? 0) + (sram.reads[.weight] ?? 0))
      let theirs = Double(reference.ifmap_sram_reads + reference.filter_sram_reads)
      let cycleError = abs(Double(cost.cycles) - Double(reference.total_cycles)) / Double(reference.total_cycles)
      #expect(cycleError <= 0.05, "\(reference.name) \(flow): \(cost.cycles) vs SCALE-Sim \(reference.total_cycles)")
      #expect(abs(ours - theirs) / theirs <= 0.10, "\(reference.name) \(flow): SRAM reads \(ours) vs \(theirs)")
    }
  }
}
