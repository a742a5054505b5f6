// Generated from Models/hardware/edge-npu-4core.yaml and edge-npu-2chip.yaml — do not edit
// here: edit the YAML, then copy its text in (HardwareSpecTests.presetsLoadAndMatchTheirFiles
// fails until both agree). The single-core presets and the table of all presets are in
// HardwareSpec+PresetSources.swift.

extension HardwareSpec {
  static let edgeNPU4CoreYAML = #"""
# A 4-core edge NPU: four 16 × 16 int8 systolic cores (each the edge-npu array with its own
# 128 KiB buffer), a 1 MiB shared on-chip buffer, a core-to-core line network, one LPDDR4.
#
# Assumptions (stated, not published for a specific chip): 28 nm, 500 MHz, the same array,
# PE registers and LPDDR4 x32 (12.8 GB/s = 25.6 B/cycle, shared by the four cores) as
# edge-npu.yaml; local buffer ports 64 B/cycle; shared buffer 128 B/cycle each way.
#
# Energies start from [H] M. Horowitz, ISSCC 2014 (45 nm, 0.9 V), scaled to 28 nm by
# × 28/45 = × 0.622, as in edge-npu.yaml:
#   MAC = 8-bit multiply 0.2 pJ + 32-bit add 0.1 pJ = 0.30 pJ → 0.187 pJ
#   128 KiB local SRAM: log-interpolated between [H]'s 32 KB (20 pJ/64 b) and 1 MB (100 pJ/64 b):
#   20 × 5^(2/5) = 38.07 pJ/64 b = 4.76 pJ/B → 2.96 pJ/B
#   1 MiB shared SRAM: [H]'s 1 MB figure, 100 pJ/64 b = 12.5 pJ/B → 7.78 pJ/B
#   PE registers: 1 × MAC per byte (Eyeriss's RF:MAC ratio) = 0.187 pJ/B
#   LPDDR4: 1.3 nJ per 64-bit access (the lower DRAM figure of [H]) = 162.5 pJ/B, not scaled.
#   Interconnect (assumed; ENERGY.md has no chip-level NoC figure): 1 pJ/B per hop — a few mm
#   of on-chip wire, below one access of the shared buffer — 32 B/cycle per link, 4 cycles per hop.
# Areas (estimates): PE 0.00016 mm² as edge-npu; SRAM ≈ 0.25 µm²/bit incl. periphery at 28 nm
# → 128 KiB 0.26 mm², 1 MiB 2.10 mm².
name: edge-npu-4core
summary: "4-core edge NPU (assumed): 4 x 16x16 int8 systolic, 128 KiB per core, 1 MiB shared, LPDDR4 12.8 GB/s shared, 500 MHz, 28 nm"
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
    capacity_bytes: 131072            # 128 KiB per core
    word_bits: 512
    read_bytes_per_cycle: 64
    write_bytes_per_cycle: 64
    read_energy_pj_per_byte: 2.96
    write_energy_pj_per_byte: 2.96
    area_mm2: 0.26
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
cores: 4                              # four copies of the array and the on-chip levels above
shared_buffer:
  capacity_bytes: 1048576             # 1 MiB
  read_bytes_per_cycle: 128
  write_bytes_per_cycle: 128
  read_energy_pj_per_byte: 7.78
  write_energy_pj_per_byte: 7.78
  area_mm2: 2.10
interconnect:
  bytes_per_cycle: 32
  energy_pj_per_byte: 1.0
  hop_latency_cycles: 4
dram_sharing: shared
"""#

  static let edgeNPU2ChipYAML = #"""
# Two edge-npu chips on one board: each chip is edge-npu.yaml (16 × 16 int8 systolic array,
# 256 KiB buffer, its own LPDDR4), joined by a chip-to-chip serial link.
#
# Energies and figures of each chip: as edge-npu.yaml, from [H] M. Horowitz, ISSCC 2014,
# scaled × 28/45 = × 0.622 (MAC 0.187 pJ, 256 KiB SRAM 4.08 pJ/B, registers 0.187 pJ/B,
# LPDDR4 162.5 pJ/B = 1.3 nJ per 64-bit access, not scaled).
# The link (assumed; ENERGY.md has no chip-to-chip figure): a 32 Gb/s SerDes lane pair =
# 4 GB/s = 8 B/cycle at 500 MHz, 5 pJ/bit = 40 pJ/B (a quarter of an LPDDR4 access per byte),
# 500 cycles (1 µs) per hop. No shared buffer: fusion uses each chip's own buffer.
name: edge-npu-2chip
summary: "2 x edge-npu chips (assumed): 16x16 int8 systolic, 256 KiB buffer, own LPDDR4 each, 4 GB/s chip link, 500 MHz, 28 nm"
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
cores:
  - name: chip0
    array: {kind: systolic, rows: 16, cols: 16, psum_bits: 32, dataflows: [ws, os, is], pe_area_mm2: 0.00016,
            datatypes: [{name: int8, bits: 8, mac_energy_pj: 0.187, macs_per_pe_per_cycle: 1}]}
    levels:
      - {name: Buffer, capacity_bytes: 262144, word_bits: 512, read_bytes_per_cycle: 64, write_bytes_per_cycle: 64,
         read_energy_pj_per_byte: 4.08, write_energy_pj_per_byte: 4.08, area_mm2: 0.52}
      - {name: PEReg, capacity_bytes: 6, word_bits: 8, read_bytes_per_cycle: 8, write_bytes_per_cycle: 8,
         read_energy_pj_per_byte: 0.187, write_energy_pj_per_byte: 0.187, per_pe: true}
  - name: chip1
    array: {kind: systolic, rows: 16, cols: 16, psum_bits: 32, dataflows: [ws, os, is], pe_area_mm2: 0.00016,
            datatypes: [{name: int8, bits: 8, mac_energy_pj: 0.187, macs_per_pe_per_cycle: 1}]}
    levels:
      - {name: Buffer, capacity_bytes: 262144, word_bits: 512, read_bytes_per_cycle: 64, write_bytes_per_cycle: 64,
         read_energy_pj_per_byte: 4.08, write_energy_pj_per_byte: 4.08, area_mm2: 0.52}
      - {name: PEReg, capacity_bytes: 6, word_bits: 8, read_bytes_per_cycle: 8, write_bytes_per_cycle: 8,
         read_energy_pj_per_byte: 0.187, write_energy_pj_per_byte: 0.187, per_pe: true}
interconnect:
  bytes_per_cycle: 8
  energy_pj_per_byte: 40
  hop_latency_cycles: 500
dram_sharing: per_core
"""#
}
