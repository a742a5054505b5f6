import Foundation
import Testing
@testable import TesseraReport

@Suite("Report page")
struct HTMLReportTests {
  static let ids = ["training", "validation", "quantization", "sensitivity", "schedule", "codesign"]

  /// `inputs` with only the section `id` kept.
  static func only(_ id: String, from all: ReportInputs) -> ReportInputs {
    var inputs = ReportInputs(title: all.title)
    switch id {
    case "training": inputs.training = all.training
    case "validation": inputs.validation = all.validation
    case "quantization": inputs.quantization = all.quantization
    case "sensitivity": inputs.sensitivity = all.sensitivity
    case "schedule": inputs.schedules = all.schedules
    default:
      inputs.designPoints = all.designPoints
      inputs.designSources = all.designSources
    }
    return inputs
  }

  @Test("each section appears exactly when its input is given", arguments: ids)
  func sectionOptional(_ id: String) throws {
    let page = HTMLReport.render(Self.only(id, from: try ReportFixtures.allInputs()))
    for other in Self.ids {
      #expect(page.contains("<section id=\"\(other)\">") == (other == id), "\(other) with only \(id)")
    }
    try Self.checkSelfContained(page)
  }

  @Test("all inputs: every section, charts in page order, self-contained, deterministic")
  func allSections() throws {
    let inputs = try ReportFixtures.allInputs()
    let page = HTMLReport.render(inputs)
    let positions = Self.ids.map { page.range(of: "<section id=\"\($0)\">")?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil })
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    // Training 1, validation 1, quantization 1, sensitivity 2, schedule 1 roofline + 2 energy, codesign 3.
    #expect(page.components(separatedBy: "<svg ").count - 1 == 11)
    #expect(page.contains("<title>All &lt;inputs&gt;</title>"))
    #expect(page == HTMLReport.render(inputs))
    try Self.checkSelfContained(page)
    // Every chart in the page is well-formed XML on its own.
    for chunk in page.components(separatedBy: "<figure>\n").dropFirst() {
      let svg = String(chunk[..<chunk.range(of: "</figure>")!.lowerBound])
      let inspection = SVGInspection(svg)
      #expect(inspection.wellFormed, "\(inspection.error ?? "")")
    }
  }

  @Test("no inputs: a page that says so")
  func noInputs() throws {
    let page = HTMLReport.render(ReportInputs(title: "Empty"))
    #expect(page.contains("No inputs were given.") && !page.contains("<section"))
    try Self.checkSelfContained(page)
  }

  @Test("schedule numbers come from the contract fields: clock, peak and per-layer throughput")
  func scheduleDerivation() throws {
    let runs = try ReportInputDecoder.schedules(from: Data(ReportFixtures.schedule.utf8), file: "s.json")
    #expect(runs.map(\.hardware) == ["edge-npu", "eyeriss"])
    let npu = runs[0]
    // 1374 cycles in 2.748 µs → 500 MHz; conv2: 2·100·16·150 ops ÷ (1260 cycles × 0.744048) = 512 ops/cycle.
    #expect(abs(npu.clockHz! - 500e6) < 1)
    #expect(abs(npu.peakOpsPerCycle! - 512) < 0.001)
    #expect(abs(npu.layers[1].computeEnergyPicojoules - (161690.76 - 151775 - 7866.24 - 1892.44)) < 1e-6)
    let svg = SVGInspection(ScheduleSection.roofline(runs).svg())
    #expect(svg.wellFormed)
    // conv2: 480,000 ops ÷ 1260 cycles × 0.5 GHz = 190.476 GOP/s at 480,000 ÷ 19,000 = 25.26 op per DRAM access.
    #expect(svg.texts.contains("conv2 on edge-npu: 25.3 op/B, 190 GOP/s"))
  }

  @Test("malformed inputs: one line naming the file and the problem")
  func decodeErrors() {
    func message(_ text: String) -> String {
      do {
        _ = try ReportInputDecoder.decode(TrainingRun.self, from: Data(text.utf8), file: "train.json", expected: "tessera train --format json output")
        return "decoded"
      } catch { return "\(error)" }
    }
    #expect(message("") == "train.json: empty file (expected tessera train --format json output)")
    #expect(message("{not json") == "train.json: not valid JSON (expected tessera train --format json output)")
    #expect(message("{\"model\": \"mlp\"}") == "train.json: missing field 'epochs' (expected tessera train --format json output)")
    #expect(message("{\"epochs\": [{\"epoch\": \"one\"}]}").hasPrefix("train.json: wrong type at 'epochs[0].epoch'"))
    let schedule: String
    do {
      _ = try ReportInputDecoder.schedules(from: Data("[]".utf8), file: "s.json")
      schedule = "decoded"
    } catch { schedule = "\(error)" }
    #expect(schedule == "s.json: an empty array (expected tessera schedule --format json output)")
  }

  /// No scripts, no outside URLs, fonts or images.
  static func checkSelfContained(_ page: String) throws {
    #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
    let lower = page.lowercased()
    for banned in ["<script", "src=", "href=\"http", "url(", "@import", "@font-face", "<link", "<img"] {
      #expect(!lower.contains(banned), "found \(banned)")
    }
    let urls = lower.components(separatedBy: "http").dropFirst().filter { !$0.hasPrefix("://www.w3.org/2000/svg\"") }
    #expect(urls.isEmpty)
  }
}

@Suite("Report page tables")
struct HTMLTableTests {
  @Test("numbers are right-aligned, settings and names are not, cells are escaped")
  func alignment() {
    let html = HTMLTable(header: ["a"], rows: [["98.50 %", "784×6×25", "2:4", "8-bit", "-0.10", "<b>"]]).html
    #expect(html.contains("<td class=\"num\">98.50 %</td>") && html.contains("<td class=\"num\">784×6×25</td>"))
    #expect(html.contains("<td class=\"num\">-0.10</td>"))
    #expect(html.contains("<td>2:4</td>") && html.contains("<td>8-bit</td>") && html.contains("<td>&lt;b&gt;</td>"))
  }
}
