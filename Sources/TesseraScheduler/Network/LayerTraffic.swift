/// A layer's DRAM traffic split by tensor, read from its ``LayerCost`` (level 0), so network
/// schedules can move one tensor's traffic on chip without re-deriving the loop nest.
struct LayerTraffic {
  /// Input bytes read from DRAM (refetches included).
  var inputRead: Double
  /// Weight bytes read from DRAM (refetches included).
  var weightRead: Double
  /// Output bytes written to DRAM (finals at the output width, spilled partial sums at `psum_bits`).
  var outputWrite: Double
  /// Partial-sum bytes read back from DRAM.
  var outputRead: Double
  /// Bytes of the weights read once (stored width, compressed when the hardware compresses).
  var weightOnce: Double

  /// - Parameters:
  ///   - cost: the layer's cost.
  ///   - spec: the spec it was mapped on.
  init(_ cost: LayerCost, spec: HardwareSpec) {
    var modeled = cost.workload
    modeled.shape = cost.modeledShape
    let sizes = ElementSizes(spec: spec, workload: modeled, datatype: cost.datatype)
    let dram = cost.levels[0]
    let outputs = cost.modeledShape.elements(of: .output)
    let writes = dram.writes[.output] ?? 0
    inputRead = sizes.bytes(.input, Double(dram.reads[.input] ?? 0))
    weightRead = sizes.bytes(.weight, Double(dram.reads[.weight] ?? 0))
    outputWrite = Double(min(writes, outputs) * sizes.outputBits) / 8 + sizes.bytes(.output, Double(max(0, writes - outputs)))
    outputRead = sizes.bytes(.output, Double(dram.reads[.output] ?? 0))
    weightOnce = min(weightRead, sizes.storedBytes(.weight, Double(cost.modeledShape.elements(of: .weight))))
  }
}
