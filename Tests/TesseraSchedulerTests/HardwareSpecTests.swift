import Foundation
import Testing
@testable import TesseraScheduler

/// YAML parsing, validation messages, presets.
struct HardwareSpecTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static let minimal = """
    name: tiny
    clock_hz: 1e9
    array:
      kind: systolic
      rows: 2
      cols: 2
      psum_bits: 32
      dataflows: [ws, os]
      datatypes: [{name: int8, bits: 8, mac_energy_pj: 0.2}]
    levels:
      - {name: DRAM, capacity_bytes: unbounded, word_bits: 64, read_bytes_per_cycle: 8, write_bytes_per_cycle: 8,
         read_energy_pj_per_byte: 100, write_energy_pj_per_byte: 100}
      - {name: SRAM, capacity_bytes: 4096, word_bits: 64, read_bytes_per_cycle: 16, write_bytes_per_cycle: 16,
         read_energy_pj_per_word: 40, write_energy_pj_per_word: 40}
      - {name: Reg, capacity_bytes: 8, word_bits: 8, read_bytes_per_cycle: 4, write_bytes_per_cycle: 4,
         read_energy_pj_per_byte: 0.2, write_energy_pj_per_byte: 0.2, per_pe: true}
    """

  func message(_ yaml: String) -> String {
    do {
      _ = try HardwareSpec(yaml: yaml)
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  @Test func readsTheMinimalSpecAndConvertsPerWordEnergies() throws {
    let spec = try HardwareSpec(yaml: Self.minimal)
    #expect(spec.levels.map(\.name) == ["DRAM", "SRAM", "Reg"])
    #expect(spec.levels[0].capacityBytes == nil)
    // 40 pJ per 64-bit word = 5 pJ per byte.
    #expect(spec.levels[1].readEnergyPerByte == 5)
    #expect(spec.instances(of: spec.levels[2]) == 4)
    #expect(spec.array.convLowering == .im2col)
  }

  @Test func negativeCapacityNamesThePath() {
    let text = message(Self.minimal.replacingOccurrences(of: "capacity_bytes: 4096", with: "capacity_bytes: -4096"))
    #expect(text.contains("levels[1].capacity_bytes"))
    #expect(text.contains("must be positive"))
  }

  @Test func unknownDataflowIsRejected() {
    let text = message(Self.minimal.replacingOccurrences(of: "dataflows: [ws, os]", with: "dataflows: [ws, xs]"))
    #expect(text.contains("array.dataflows[1]"))
    #expect(text.contains("unknown dataflow 'xs'"))
  }

  @Test func rowStationaryNeedsASpatialArray() {
    let text = message(Self.minimal.replacingOccurrences(of: "dataflows: [ws, os]", with: "dataflows: [rs]"))
    #expect(text.contains("row-stationary"))
  }

  @Test func missingFieldNamesItsPath() {
    let text = message(Self.minimal.replacingOccurrences(of: "word_bits: 64, read_bytes_per_cycle: 16", with: "read_bytes_per_cycle: 16"))
    #expect(text.contains("levels[1].word_bits: missing required field"))
  }

  @Test func missingEnergyNamesBothSpellings() {
    let text = message(Self.minimal.replacingOccurrences(of: "read_energy_pj_per_word: 40, ", with: ""))
    #expect(text.contains("levels[1].read_energy_pj_per_byte: missing required field (or give read_energy_pj_per_word)"))
  }

  @Test func unknownFieldIsATypo() {
    let text = message(Self.minimal.replacingOccurrences(of: "psum_bits: 32", with: "psum_bits: 32\n  colums: 3"))
    #expect(text.contains("array.colums: unknown field"))
  }

  @Test func aLevelThatCannotHoldOneTile() {
    // The SRAM feeds a 2×2 weight-stationary array: one fold is 4 weights, it has 2 bytes.
    let text = message(Self.minimal.replacingOccurrences(of: "capacity_bytes: 4096", with: "capacity_bytes: 2"))
    #expect(text.contains("levels[1].capacity_bytes: SRAM cannot hold one tile"))
    let registers = message(Self.minimal.replacingOccurrences(of: "capacity_bytes: 8", with: "capacity_bytes: 3"))
    #expect(registers.contains("levels[2].capacity_bytes: Reg cannot hold one tile (needs input 1 B, weight 1 B, output 4 B"))
  }

  @Test func onlyTheLastLevelIsPerPE() {
    let text = message(Self.minimal.replacingOccurrences(of: ", per_pe: true}", with: "}"))
    #expect(text.contains("levels[2].per_pe: the last level must be the PE-local one"))
  }

  @Test func malformedYAML() {
    #expect(message("name: [unclosed").contains("not valid YAML"))
  }

  @Test(arguments: ["eyeriss", "tpu-v1", "edge-npu", "edge-npu-sparse", "edge-npu-4core", "edge-npu-2chip"])
  func presetsLoadAndMatchTheirFiles(name: String) throws {
    let spec = try HardwareSpec.preset(named: name)
    #expect(spec.name == name)
    let file = Self.repository.appendingPathComponent("Models/hardware/\(name).yaml")
    let text = try String(contentsOf: file, encoding: .utf8)
    // The bundled copy must equal the file (HardwareSpec+PresetSources.swift is generated from it).
    #expect(HardwareSpec.presetYAML(named: name) == text.trimmingCharacters(in: .newlines),
      "Models/hardware/\(name).yaml changed: copy it into HardwareSpec+PresetSources.swift or +MultiCorePresetSources.swift")
  }

  @Test func presetFiguresFollowThePublishedOnes() throws {
    let eyeriss = try HardwareSpec.preset(named: "eyeriss")
    #expect(eyeriss.array.rows == 12 && eyeriss.array.cols == 14)
    #expect(eyeriss.levels[1].capacityBytes == 108 * 1024)
    #expect(eyeriss.levels[2].partitions == [.input: 24, .weight: 448, .output: 48])
    let mac = eyeriss.array.datatypes[0].macEnergyPJ
    // Per 16-bit access: RF 1×, NoC 2×, GLB 6×, DRAM 200× the MAC.
    #expect(abs(eyeriss.levels[2].readEnergyPerByte * 2 / mac - 1) < 1e-9)
    #expect(abs(eyeriss.array.nocEnergyPerByte * 2 / mac - 2) < 1e-9)
    #expect(abs(eyeriss.levels[1].readEnergyPerByte * 2 / mac - 6) < 1e-9)
    #expect(abs(eyeriss.levels[0].readEnergyPerByte * 2 / mac - 200) < 1e-9)
    let tpu = try HardwareSpec.preset(named: "tpu-v1")
    #expect(tpu.array.rows == 256 && tpu.clockHz == 700e6)
    #expect(tpu.levels.first { $0.name == "UnifiedBuffer" }?.capacityBytes == 24 << 20)
    #expect(tpu.levels.first { $0.name == "Accumulators" }?.capacityBytes == 4 << 20)
    #expect(abs(tpu.levels[0].readBandwidth * 700e6 - 34e9) < 1e7)
  }

  @Test func unknownHardwareListsThePresets() {
    #expect(throws: SchedulerError.unknownHardware("nope")) { try HardwareSpec.load("nope") }
    #expect(SchedulerError.unknownHardware("nope").description.contains("eyeriss, tpu-v1, edge-npu, host"))
  }
}
