// Generated from Models/hardware/*.yaml — do not edit here: edit the YAML, then copy its
// text in (HardwareSpecTests.presetsLoadAndMatchTheirFiles fails until both agree). The
// copies make presets work from an installed binary, away from the source tree. The
// multi-core presets are in HardwareSpec+MultiCorePresetSources.swift.

extension HardwareSpec {
  /// The YAML text of each bundled preset, keyed by name.
  static let presetSources: [String: String] = [
    "eyeriss": eyerissYAML,
    "tpu-v1": tpuV1YAML,
    "edge-npu": edgeNPUYAML,
    "edge-npu-sparse": edgeNPUSparseYAML,
    "edge-npu-4core": edgeNPU4CoreYAML,
    "edge-npu-2chip": edgeNPU2ChipYAML,
  ]

  private static let eyerissYAML = #"""
# Eyeriss-like row-stationary accelerator.
#
# Sources (see /docs/scheduler.md and ENERGY.md):
#  [E1] Y.-H. Chen, J. Emer, V. Sze, "Eyeriss: A Spatial Architecture for Energy-Efficient
#       Dataflow for Convolutional Neural Networks", ISCA 2016.
#  [E2] Y.-H. Chen et al., "Eyeriss: An Energy-Efficient Reconfigurable Accelerator for Deep
#       Convolutional Neural Networks", IEEE JSSC 52(1), 2017.
#  [H]  M. Horowitz, "Computing's Energy Problem", ISSCC 2014 (45 nm, 0.9 V).
#  [T]  Timeloop/Accelergy exercises, baseline_designs/arch/eyeriss_like (weights bypass the GLB).
#
# Figures taken as published: 12 × 14 PEs, 65 nm, 16-bit fixed point, 108 KB global buffer
# [E1, E2]; per-PE scratchpads of 12 ifmap, 224 filter and 24 psum entries of 16 bits [E1];
# energy per access normalised to one MAC: RF 1×, PE-to-PE network 2×, GLB 6×, DRAM 200× [E1].
#
# The one absolute number, the MAC, comes from [H] and is scaled to 65 nm explicitly:
#   16-bit multiply ≈ 0.8 pJ (8-bit 0.2 pJ × (16/8)², [H] shows multiplier energy ∝ bits²)
#   16-bit add     ≈ 0.05 pJ (between the 8-bit 0.03 pJ and 32-bit 0.1 pJ adds of [H])
#   MAC at 45 nm   ≈ 0.85 pJ;  node scaling 45 → 65 nm: × 65/45 = × 1.444 (switched capacitance
#   ∝ feature size at the same 0.9 V)  →  MAC = 1.23 pJ at 65 nm.
# Then per 16-bit access: RF 1.23 pJ, NoC 2.46 pJ, GLB 7.38 pJ, DRAM 246 pJ.
#
# Assumptions (not published as such): 200 MHz clock (the JSSC chip's measurements run at
# 100–250 MHz); DRAM link 64 bits per cycle; GLB 32 B/cycle each way; RF ports 8 B/cycle;
# areas are estimates: PE datapath from [H] cell areas (16-bit mult ≈ 4 × 282 µm² + add,
# × (65/45)² = 2.09) ≈ 0.0025 mm²; SRAM at ≈ 1.0 µm²/bit incl. periphery (65 nm);
# scratchpads at ≈ 5 µm²/bit (register files).
name: eyeriss
summary: "Eyeriss-like row-stationary 12x14 array, 108 KB GLB, 16-bit, 65 nm (Chen et al. ISCA 2016; energies from the published RF:NoC:GLB:DRAM = 1:2:6:200 ratios)"
clock_hz: 200e6
technology_nm: 65
leakage_mw: 0
array:
  kind: spatial
  rows: 12
  cols: 14
  psum_bits: 16
  dataflows: [rs, ws, os, is]
  noc_energy_pj_per_byte: 1.23      # 2 × MAC per 16-bit word = 2.46 pJ / 2 B
  pe_area_mm2: 0.0025
  datatypes:
    - name: int16
      bits: 16
      mac_energy_pj: 1.23
      macs_per_pe_per_cycle: 1
levels:
  - name: DRAM
    capacity_bytes: unbounded
    word_bits: 16
    read_bytes_per_cycle: 8
    write_bytes_per_cycle: 8
    read_energy_pj_per_word: 246      # 200 × MAC
    write_energy_pj_per_word: 246
    holds: [input, weight, output]
  - name: GLB
    capacity_bytes: 110592            # 108 KB [E1]
    word_bits: 16
    read_bytes_per_cycle: 32
    write_bytes_per_cycle: 32
    read_energy_pj_per_word: 7.38     # 6 × MAC
    write_energy_pj_per_word: 7.38
    area_mm2: 0.88                    # 884,736 bits × 1.0 µm²
    holds: [input, output]            # weights bypass the GLB [T]
  - name: RF
    capacity_bytes: 520
    word_bits: 16
    read_bytes_per_cycle: 8
    write_bytes_per_cycle: 8
    read_energy_pj_per_word: 1.23     # 1 × MAC
    write_energy_pj_per_word: 1.23
    area_mm2: 0.0208                  # 4,160 bits × 5 µm²
    per_pe: true
    holds: [input, weight, output]
    partitions:
      input: 24                       # 12 × 16-bit ifmap entries
      weight: 448                     # 224 × 16-bit filter entries
      output: 48                      # 24 × 16-bit psum entries
"""#

  private static let tpuV1YAML = #"""
# TPU v1-like weight-stationary systolic array.
#
# Sources:
#  [J] N. Jouppi et al., "In-Datacenter Performance Analysis of a Tensor Processing Unit",
#      ISCA 2017.
#  [H] M. Horowitz, "Computing's Energy Problem", ISSCC 2014 (45 nm, 0.9 V).
#
# Published [J]: 256 × 256 8-bit MACs, 700 MHz (92 TOPS), 28 nm; 24 MiB Unified Buffer
# (activations); 4 MiB of 32-bit accumulators (4096 × 256 × 32 bit); weight FIFO four 64 KiB
# tiles deep; 8 GiB DDR3 at 34 GB/s = 34e9 / 700e6 = 48.57 B/cycle. Floor plan (die < 331 mm²):
# Unified Buffer 29 %, Matrix Multiply Unit 24 %, Accumulators 6 %.
#
# Energies start from [H] at 45 nm and are scaled to 28 nm by × 28/45 = × 0.622 (switched
# capacitance ∝ feature size at the same 0.9 V):
#   MAC = 8-bit multiply 0.2 pJ + 32-bit add 0.1 pJ = 0.30 pJ → 0.187 pJ
#   Unified Buffer and accumulators: 1 MB SRAM, 100 pJ per 64-bit read = 12.5 pJ/B → 7.78 pJ/B
#   (a 24 MiB buffer is built from ~1 MB banks; the bank figure is used)
#   Weight FIFO (256 KiB): between [H]'s 32 KB (20 pJ/64 b) and 1 MB (100 pJ/64 b) figures,
#   log-interpolated: 20 × 5^(3/5) = 52.5 pJ/64 b = 6.57 pJ/B → 4.08 pJ/B
#   PE registers: 1 × MAC per access (Eyeriss's RF:MAC ratio) = 0.187 pJ/B
#   DRAM: 2.6 nJ per 64-bit access (the upper DDR3 figure of [H]) = 325 pJ/B, not scaled
#   (off-chip I/O energy does not follow the logic node).
# Bandwidths: Unified Buffer 256 B/cycle (one 256-wide row into the array per cycle) each way;
# accumulators 256 × 4 B/cycle; weight FIFO 256 B/cycle (a 64 KiB tile in 256 cycles).
# Areas from the floor plan percentages of 331 mm²: UB 96 mm², MMU 79.4 mm² (0.00121 mm² per
# PE), accumulators 19.9 mm²; weight FIFO ≈ 1 mm² (estimate). Leakage not modelled (0).
# Modelling choice: outputs leave through the accumulators to DRAM (one layer at a time), so
# the Unified Buffer holds inputs only.
name: tpu-v1
summary: "TPU v1-like 256x256 int8 weight-stationary systolic array, 24 MiB UB, 4 MiB accumulators, 34 GB/s DDR3, 700 MHz, 28 nm (Jouppi et al. ISCA 2017)"
clock_hz: 700e6
technology_nm: 28
leakage_mw: 0
array:
  kind: systolic
  rows: 256
  cols: 256
  psum_bits: 32
  dataflows: [ws]
  pe_area_mm2: 0.00121
  datatypes:
    - name: int8
      bits: 8
      mac_energy_pj: 0.187
      macs_per_pe_per_cycle: 1
levels:
  - name: DRAM
    capacity_bytes: unbounded
    word_bits: 64
    read_bytes_per_cycle: 48.57
    write_bytes_per_cycle: 48.57
    read_energy_pj_per_byte: 325
    write_energy_pj_per_byte: 325
    holds: [input, weight, output]
  - name: UnifiedBuffer
    capacity_bytes: 25165824          # 24 MiB
    word_bits: 2048
    read_bytes_per_cycle: 256
    write_bytes_per_cycle: 256
    read_energy_pj_per_byte: 7.78
    write_energy_pj_per_byte: 7.78
    area_mm2: 96
    holds: [input]
  - name: Accumulators
    capacity_bytes: 4194304           # 4 MiB of 32-bit sums
    word_bits: 8192
    read_bytes_per_cycle: 1024
    write_bytes_per_cycle: 1024
    read_energy_pj_per_byte: 7.78
    write_energy_pj_per_byte: 7.78
    area_mm2: 19.9
    holds: [output]
  - name: WeightFIFO
    capacity_bytes: 262144            # 4 × 64 KiB tiles
    word_bits: 2048
    read_bytes_per_cycle: 256
    write_bytes_per_cycle: 256
    read_energy_pj_per_byte: 4.08
    write_energy_pj_per_byte: 4.08
    area_mm2: 1.0
    holds: [weight]
  - name: PEReg
    capacity_bytes: 6                 # one weight, one passing input, one 32-bit sum
    word_bits: 8
    read_bytes_per_cycle: 8
    write_bytes_per_cycle: 8
    read_energy_pj_per_byte: 0.187
    write_energy_pj_per_byte: 0.187
    per_pe: true
    holds: [input, weight, output]
"""#

  private static let edgeNPUYAML = #"""
# A small edge NPU: 16 × 16 int8 systolic array with one 256 KiB on-chip buffer.
#
# Assumptions (stated, not published for a specific chip): 28 nm, 500 MHz; one unified
# 256 KiB SRAM for inputs, weights and outputs; LPDDR4 x32 at 3200 MT/s = 12.8 GB/s =
# 25.6 B/cycle at 500 MHz; buffer ports 64 B/cycle each way; int8 with 32-bit accumulation;
# weight-, output- and input-stationary modes. No zero skipping.
#
# Energies start from [H] M. Horowitz, ISSCC 2014 (45 nm, 0.9 V), scaled to 28 nm by
# × 28/45 = × 0.622 (switched capacitance ∝ feature size at the same 0.9 V):
#   MAC = 8-bit multiply 0.2 pJ + 32-bit add 0.1 pJ = 0.30 pJ → 0.187 pJ
#   256 KiB SRAM: log-interpolated between [H]'s 32 KB (20 pJ/64 b) and 1 MB (100 pJ/64 b):
#   20 × 5^(3/5) = 52.5 pJ/64 b = 6.57 pJ/B → 4.08 pJ/B
#   PE registers: 1 × MAC per byte (Eyeriss's RF:MAC ratio) = 0.187 pJ/B
#   LPDDR4: 1.3 nJ per 64-bit access (the lower DRAM figure of [H]) = 162.5 pJ/B, not scaled.
# Areas (estimates): PE = 8-bit multiplier 282 µm² + 32-bit adder 137 µm² ([H]) × 0.622² =
# 162 µm² ≈ 0.00016 mm²; SRAM ≈ 0.25 µm²/bit incl. periphery at 28 nm → 0.52 mm².
name: edge-npu
summary: "Edge NPU (assumed): 16x16 int8 systolic array, 256 KiB unified buffer, LPDDR4 12.8 GB/s, 500 MHz, 28 nm"
clock_hz: 500e6
technology_nm: 28
leakage_mw: 0
array:
  kind: systolic
  rows: 16
  cols: 16
  psum_bits: 32
  dataflows: [ws, os, is]
  pe_area_mm2: 0.00016
  datatypes:
    - name: int8
      bits: 8
      mac_energy_pj: 0.187
      macs_per_pe_per_cycle: 1
levels:
  - name: DRAM
    capacity_bytes: unbounded
    word_bits: 64
    read_bytes_per_cycle: 25.6
    write_bytes_per_cycle: 25.6
    read_energy_pj_per_byte: 162.5
    write_energy_pj_per_byte: 162.5
    holds: [input, weight, output]
  - name: Buffer
    capacity_bytes: 262144            # 256 KiB
    word_bits: 512
    read_bytes_per_cycle: 64
    write_bytes_per_cycle: 64
    read_energy_pj_per_byte: 4.08
    write_energy_pj_per_byte: 4.08
    area_mm2: 0.52
    holds: [input, weight, output]
  - name: PEReg
    capacity_bytes: 6
    word_bits: 8
    read_bytes_per_cycle: 8
    write_bytes_per_cycle: 8
    read_energy_pj_per_byte: 0.187
    write_energy_pj_per_byte: 0.187
    per_pe: true
    holds: [input, weight, output]
"""#

  private static let edgeNPUSparseYAML = #"""
# edge-npu with 2:4 structured sparsity: the same 16 × 16 int8 systolic array, buffer, DRAM
# and energies as edge-npu.yaml (figures and sources there), plus support for 2:4 weights as on
# NVIDIA Ampere's sparse tensor cores (NVIDIA A100 Tensor Core GPU Architecture whitepaper, 2020,
# "Fine-Grained Structured Sparsity"): in a layer whose weights keep at most 2 non-zeros in every
# 4 consecutive inputs, the array skips the zero half of the MACs and the weights are stored
# compressed, the non-zeros plus 2 bits of index metadata each. Other layers (dense or
# unstructured sparse) run dense. An assumption for this modeled chip, not a published one.
name: edge-npu-sparse
summary: "Edge NPU (assumed) with 2:4 sparsity: 16x16 int8 systolic array, 256 KiB unified buffer, LPDDR4 12.8 GB/s, 500 MHz, 28 nm"
clock_hz: 500e6
technology_nm: 28
leakage_mw: 0
sparsity:
  structure: "2:4"
  skip_zero_weights: true
  compressed_weights: true
  metadata_bits_per_nonzero: 2
array:
  kind: systolic
  rows: 16
  cols: 16
  psum_bits: 32
  dataflows: [ws, os, is]
  pe_area_mm2: 0.00016
  datatypes:
    - name: int8
      bits: 8
      mac_energy_pj: 0.187
      macs_per_pe_per_cycle: 1
levels:
  - name: DRAM
    capacity_bytes: unbounded
    word_bits: 64
    read_bytes_per_cycle: 25.6
    write_bytes_per_cycle: 25.6
    read_energy_pj_per_byte: 162.5
    write_energy_pj_per_byte: 162.5
    holds: [input, weight, output]
  - name: Buffer
    capacity_bytes: 262144            # 256 KiB
    word_bits: 512
    read_bytes_per_cycle: 64
    write_bytes_per_cycle: 64
    read_energy_pj_per_byte: 4.08
    write_energy_pj_per_byte: 4.08
    area_mm2: 0.52
    holds: [input, weight, output]
  - name: PEReg
    capacity_bytes: 6
    word_bits: 8
    read_bytes_per_cycle: 8
    write_bytes_per_cycle: 8
    read_energy_pj_per_byte: 0.187
    write_energy_pj_per_byte: 0.187
    per_pe: true
    holds: [input, weight, output]
"""#
}
