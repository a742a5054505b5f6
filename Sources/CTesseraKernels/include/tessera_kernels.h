/*
 * tessera_kernels.h — the public C contract of Tessera's int8 kernels.
 *
 * Operation: qs8 activations × per-channel qc8w weights → int32 accumulate →
 * fp32 requantize → int8, with a fused min/max clamp (see docs/quantization.md).
 *
 *   acc[m][n] = bias[n] + Σ_k (A[m][k] − a_zero_point) · W[n][k]
 *   C[m][n]   = clamp(round_half_even(acc[m][n] · scale[n]) + c_zero_point, c_min, c_max)
 *
 * The scalar reference (tsr_qs8_qc8w_gemm_reference) is the definition; every
 * kernel listed by the enumerator must equal it bit for bit. Accumulation is
 * int32 and wraps (exact while K ≤ 65793, the worst case 255 · 128 · K < 2^31).
 *
 * Weights are given as W[N][K] (row n holds output channel n's K weights, as a
 * Dense layer's [out, in] matrix) and are packed once per kernel layout. A packed
 * buffer is ceil(N / NR) panels; each panel is `tsr_qs8_qc8w_packed_panel_bytes`
 * bytes and starts with NR int32 adjusted biases (bias − zero-point correction),
 * followed by the NR × round_up(K, KR) weights in the kernel's own order. So
 * the panel holding column n0 (a multiple of NR) is at packed + (n0 / NR) · panel.
 * Panels are 64-byte multiples; a 64-byte-aligned buffer keeps every panel
 * aligned (kernels do not require it). The weight order and encoding of each
 * layout family is documented in docs/kernels.md: e.g. GEMM "goi" = for each
 * K group of KR, for each column, KR bytes; the AVX-512 VNNI family stores
 * W + 128 as u8 (vpdpbusd's unsigned operand) and corrects with A's row sums.
 */
#ifndef TESSERA_KERNELS_H
#define TESSERA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* MARK: - Instruction sets */

/** Instruction-set paths, ordered from least to most capable on a family. */
typedef enum tsr_isa {
  TSR_ISA_SCALAR = 0,
  TSR_ISA_AVX2 = 1,
  TSR_ISA_AVXVNNI = 2,
  TSR_ISA_AVX512VNNI = 3,
  TSR_ISA_NEONDOT = 4,
  TSR_ISA_NEONI8MM = 5, /**< AArch64 int8 matrix multiply (smmla/usmmla, Armv8.6); implies NEONDOT */
  /**
   * Intel AMX int8 tiles (tdpbusd) with an AVX-512 epilogue; implies AVX512VNNI.
   * Only the qd8-f32-qc8w family has AMX kernels; the other families run their
   * AVX-512 VNNI (int8) or AVX-512 (float) kernels when it is chosen or forced.
   */
  TSR_ISA_AVX512AMX = 6,
  TSR_ISA_COUNT = 7
} tsr_isa;

/** CPU feature bits reported by tsr_cpu_features(). */
enum {
  TSR_CPU_SSE41 = 1u << 0,
  TSR_CPU_AVX = 1u << 1,
  TSR_CPU_AVX2 = 1u << 2,
  TSR_CPU_FMA = 1u << 3,
  TSR_CPU_F16C = 1u << 4,
  TSR_CPU_AVX512F = 1u << 5,
  TSR_CPU_AVX512BW = 1u << 6,
  TSR_CPU_AVX512VL = 1u << 7,
  TSR_CPU_AVX512DQ = 1u << 8,
  TSR_CPU_AVX512VNNI = 1u << 9,
  TSR_CPU_AVX512BF16 = 1u << 10,
  TSR_CPU_AVXVNNI = 1u << 11,
  TSR_CPU_NEON = 1u << 12,
  TSR_CPU_NEONDOT = 1u << 13,
  TSR_CPU_NEONI8MM = 1u << 14,
  /** AMX-TILE + AMX-INT8, tile state enabled in XCR0 and (Linux) permission granted to this process. */
  TSR_CPU_AMXINT8 = 1u << 15
};

/**
 * Detected CPU features (cpuid + xgetbv OS-support checks on x86, and on Linux
 * the arch_prctl request for AMX tile data, made once per process; getauxval
 * AT_HWCAP/AT_HWCAP2 on Linux AArch64; sysctlbyname hw.optional.arm.FEAT_* on
 * Apple). Cached.
 */
uint32_t tsr_cpu_features(void);
/** Lower-case ISA word used in kernel names and TESSERA_ISA ("scalar", "avx2", ...). */
const char* tsr_isa_name(tsr_isa isa);
/** Parses an ISA word; returns -1 when unknown. */
int tsr_isa_from_name(const char* name);
/** 1 when kernels for `isa` were compiled into this build. */
int tsr_isa_compiled(tsr_isa isa);
/** 1 when the running CPU (and OS) can execute `isa`. */
int tsr_isa_supported(tsr_isa isa);
/** Writes the CPU brand string (NUL-terminated) into buf. */
void tsr_cpu_brand(char* buf, size_t size);

/* MARK: - Requantization */

/** Output stage shared by every kernel: zero point and fused clamp (ReLU = min at zero point). */
typedef struct tsr_qs8_minmax_params {
  int32_t output_zero_point;
  int8_t output_min;
  int8_t output_max;
} tsr_qs8_minmax_params;

/**
 * The one scalar requantizer that defines the rounding: fp32 multiply, clamp to
 * [min − zp, max − zp] in float (integral bounds, so this commutes with rounding),
 * round half to even (lrintf in the default rounding mode), add the zero point.
 */
int8_t tsr_qs8_requantize_fp32(int32_t acc, float scale, const tsr_qs8_minmax_params* params);

/* MARK: - Kernels */

/** Kernel operations. GEMV kernels require mr == 1 and are tuned to stream weights once. */
typedef enum tsr_op { TSR_OP_GEMM = 0, TSR_OP_GEMV = 1 } tsr_op;

/**
 * Micro-kernel: computes rows [0, mr) (1 ≤ mr ≤ MR) and columns [0, nc) (nc ≥ 1; the
 * kernel walks NR-wide panels) of C from A (row stride a_stride bytes, kc columns),
 * packed weights `w` (first panel = column 0 of this call, packed with the same kc)
 * and per-column scales. Reads exactly A's mr × kc bytes and scale[0, nc); writes
 * exactly C's mr × nc bytes. Scales must be finite. Reentrant (no shared state).
 */
typedef void (*tsr_qs8_qc8w_gemm_ukernel_fn)(
    size_t mr, size_t nc, size_t kc,
    const int8_t* a, size_t a_stride,
    const void* w,
    int8_t* c, size_t c_stride,
    const float* scale,
    const tsr_qs8_minmax_params* params);

/**
 * Packs W[N][K] (row stride w_stride bytes) and bias[N] (NULL = zeros) into the
 * kernel's layout, folding the activation zero point (and any kernel-specific
 * input offset, e.g. +128 for u8×s8 dot products) into the adjusted biases using
 * column sums computed here. `packed` must hold tsr_qs8_qc8w_packed_size bytes.
 */
typedef void (*tsr_qs8_qc8w_pack_fn)(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed);

/** One enumerated kernel: the name is the spec. */
typedef struct tsr_qs8_kernel {
  const char* name;
  tsr_op op;
  tsr_isa isa;
  uint32_t mr, nr, kr;
  tsr_qs8_qc8w_gemm_ukernel_fn ukernel;
  tsr_qs8_qc8w_pack_fn pack;
} tsr_qs8_kernel;

/** Every compiled kernel (from the enumerator), whatever the CPU supports. */
size_t tsr_qs8_kernel_count(void);
const tsr_qs8_kernel* tsr_qs8_kernel_at(size_t index);

/** Bytes of one packed panel (NR biases + NR × round_up(K, KR) weights, 64-byte multiple). */
size_t tsr_qs8_qc8w_packed_panel_bytes(const tsr_qs8_kernel* kernel, size_t kc);
/** Bytes of the whole packed weights for N columns. */
size_t tsr_qs8_qc8w_packed_size(const tsr_qs8_kernel* kernel, size_t n, size_t kc);

/**
 * Runs a kernel over the sub-block rows [m_begin, m_end) × columns [n_begin,
 * n_end) of the full M×N output (n_begin a multiple of NR), tiling MR rows and
 * cache-sized column chunks. `a`, `packed`, `c` and `scale` describe the whole
 * problem (row 0, column 0). Reentrant (no global or static scratch): threads
 * may run disjoint blocks of the same output concurrently. It allocates only a
 * temporary MR-row copy of A when A's row stride aliases in L1 (e.g. K = 4096).
 */
void tsr_qs8_qc8w_gemm_run(
    const tsr_qs8_kernel* kernel,
    size_t m_begin, size_t m_end, size_t n_begin, size_t n_end, size_t kc,
    const int8_t* a, size_t a_stride,
    const void* packed,
    int8_t* c, size_t c_stride,
    const float* scale,
    const tsr_qs8_minmax_params* params);

/* MARK: - Dispatch */

/**
 * The best kernel for `op` that is compiled and supported, honouring the
 * TESSERA_ISA environment variable. Returns NULL and writes a one-line message
 * into err when TESSERA_ISA is unknown or names an ISA this CPU or build lacks.
 */
const tsr_qs8_kernel* tsr_qs8_select_kernel(tsr_op op, char* err, size_t err_size);
/**
 * tsr_qs8_select_kernel with the override given as a parameter instead of read
 * from the environment: `isa_word` NULL or "" = automatic choice, otherwise an
 * ISA word ("scalar", "avx2", "avx512vnni", ...). Same NULL + message on error,
 * e.g. "TESSERA_ISA=avx512vnni: this CPU does not support AVX-512 VNNI".
 */
const tsr_qs8_kernel* tsr_qs8_select_kernel_for(tsr_op op, const char* isa_word, char* err, size_t err_size);
/**
 * The first enumerated kernel of `isa` for `op` (for GEMV, the ISA's GEMM kernel
 * when it has no GEMV kernel); NULL when the ISA is not compiled or supported.
 */
const tsr_qs8_kernel* tsr_qs8_kernel_for_isa(tsr_op op, tsr_isa isa);

/* MARK: - Reference */

/** The semantic definition: naive loops over unpacked W[N][K], bias (NULL = 0). */
void tsr_qs8_qc8w_gemm_reference(
    size_t m, size_t n, size_t kc,
    const int8_t* a, size_t a_stride, int32_t a_zero_point,
    const int8_t* w, size_t w_stride,
    const int32_t* bias,
    int8_t* c, size_t c_stride,
    const float* scale,
    const tsr_qs8_minmax_params* params);

/* MARK: - qd8-f32-qc8w: dynamically quantized activations × per-channel int8 weights → fp32 */

/*
 * For transformer Linear layers (docs/quantization.md, "Dynamic quantization"):
 * float activations are quantized per row at run time, the GEMM runs in int8
 * with exact int32 accumulation, and the output is float.
 *
 * Row quantization (asymmetric uint8, as ONNX DynamicQuantizeLinear; the
 * unsigned operand of vpdpbusd). For row x[0..K):
 *   lo = min(0, min_k x[k]), hi = max(0, max_k x[k])
 *   scale = (float)(((double)hi − (double)lo) / 255), raised to FLT_MIN if smaller
 *           (lo == hi, an all-zero row: scale = 1, zero point 0)
 *   inv_scale = 1.0f / scale                                      (float)
 *   zero_point = clamp(nearbyintf(−lo / scale), 0, 255)          (float division)
 *   q[k] = clamp(nearbyintf(x[k] · inv_scale) + zero_point, 0, 255)
 * nearbyintf rounds half to even in the default rounding mode, as cvtps2dq does.
 * The per-row parameters come from one scalar function (tsr_qd8_row_params)
 * on every ISA; SIMD only finds min/max (exact) and quantizes the elements.
 * Inputs must be finite (NaN/Inf give unspecified, but memory-safe, results).
 *
 * GEMM with W[N][K] int8 (symmetric, normally −127…127; −128 is accepted) and
 * per-channel float scales w_scale[n]:
 *   acc[m][n] = Σ_k q[m][k] · W[n][k] − zero_point_m · Σ_k W[n][k]   (int32, wrapping)
 *   y[m][n]   = (float)acc[m][n] · (scale_m · w_scale[n]) + bias[n]
 * evaluated as: p = scale_m · w_scale[n] (float), t = (float)acc · p, y = t + b,
 * with b = bias[n] or +0.0f when bias is NULL — two roundings, never an FMA.
 * Every ISA equals tsr_qd8_f32_qc8w_gemm_reference bit for bit. acc is exact
 * while K ≤ 65793 (|q − zp| ≤ 255, |W| ≤ 128).
 *
 * Packed weights: ceil(N / NR) panels of round_up(12·NR + NR·round_up(K, KR), 64)
 * bytes, each holding int32 colsum[NR] (Σ_k W[n][k]), float w_scale[NR], float
 * bias[NR], then for each K group of KR and each column j < NR the KR signed
 * weight bytes ("goi" order); zeros past N and past K.
 */

/** Per-row quantization parameters of dynamically quantized activations. */
typedef struct tsr_qd8_params {
  int32_t zero_point; /**< 0…255 */
  float scale;        /**< > 0 */
  float inv_scale;    /**< 1.0f / scale */
} tsr_qd8_params;

/** The definition of a row's parameters from its min and max (see above). */
tsr_qd8_params tsr_qd8_row_params(float row_min, float row_max);

/**
 * Quantize micro-kernel: m rows of kc floats (x row stride x_stride elements)
 * → m rows of kc uint8 (q row stride q_stride bytes) + params[m]. Reentrant.
 */
typedef void (*tsr_f32_qd8_quantize_fn)(
    size_t m, size_t kc, const float* x, size_t x_stride,
    uint8_t* q, size_t q_stride, tsr_qd8_params* params);

/**
 * GEMM micro-kernel: rows [0, mr) (1 ≤ mr ≤ MR), columns [0, nc) walking NR-wide
 * panels of `w` (first panel = column 0 of this call). A is uint8 (row stride
 * a_stride bytes), params[0, mr) its rows' parameters; C is float with row
 * stride c_stride elements. Writes exactly C's mr × nc floats. Reentrant.
 */
typedef void (*tsr_qd8_f32_qc8w_gemm_ukernel_fn)(
    size_t mr, size_t nc, size_t kc,
    const uint8_t* a, size_t a_stride, const tsr_qd8_params* params,
    const void* w,
    float* c, size_t c_stride);

/** Packs W[N][K] (row stride w_stride bytes), w_scale[N] and bias[N] (NULL = zeros). */
typedef void (*tsr_qd8_f32_qc8w_pack_fn)(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride, const float* w_scale, const float* bias,
    void* packed);

/** One enumerated qd8-f32-qc8w kernel (include/tessera/qd8-gemm.inc). */
typedef struct tsr_qd8_kernel {
  const char* name;          /**< GEMM micro-kernel name, e.g. tsr_qd8_f32_qc8w_gemm_ukernel_12x32c4__avx512vnni */
  const char* quantize_name; /**< e.g. tsr_f32_qd8_quantize_ukernel__avx512 */
  tsr_isa isa;
  uint32_t mr, nr, kr;
  tsr_qd8_f32_qc8w_gemm_ukernel_fn ukernel;
  tsr_qd8_f32_qc8w_pack_fn pack;
  tsr_f32_qd8_quantize_fn quantize;
} tsr_qd8_kernel;

size_t tsr_qd8_kernel_count(void);
const tsr_qd8_kernel* tsr_qd8_kernel_at(size_t index);
/** Bytes of one packed panel and of the whole packed weights for N columns. */
size_t tsr_qd8_f32_qc8w_packed_panel_bytes(const tsr_qd8_kernel* kernel, size_t kc);
size_t tsr_qd8_f32_qc8w_packed_size(const tsr_qd8_kernel* kernel, size_t n, size_t kc);

/** The first enumerated qd8 kernel of `isa`; NULL when not compiled or not supported. */
const tsr_qd8_kernel* tsr_qd8_kernel_for_isa(tsr_isa isa);
/**
 * The best qd8 kernel, with `isa_word` (NULL/"" = automatic) forcing an ISA like
 * TESSERA_ISA; NULL + a one-line message in err when the word is unknown or the
 * ISA is not compiled for this family or not supported by the CPU.
 */
const tsr_qd8_kernel* tsr_qd8_select_kernel_for(const char* isa_word, char* err, size_t err_size);
/** tsr_qd8_select_kernel_for with the TESSERA_ISA environment variable. */
const tsr_qd8_kernel* tsr_qd8_select_kernel(char* err, size_t err_size);

/**
 * Blocking driver: rows [m_begin, m_end) × columns [n_begin, n_end) (n_begin a
 * multiple of NR) of the whole problem described by a/params/packed/c (row 0,
 * column 0), in L2-sized column chunks × MR-row tiles. Reentrant, allocates nothing.
 */
void tsr_qd8_f32_qc8w_gemm_run(
    const tsr_qd8_kernel* kernel,
    size_t m_begin, size_t m_end, size_t n_begin, size_t n_end, size_t kc,
    const uint8_t* a, size_t a_stride, const tsr_qd8_params* params,
    const void* packed,
    float* c, size_t c_stride);

/** The definition of the row quantization (naive loops; the scalar kernel). */
void tsr_f32_qd8_quantize_reference(
    size_t m, size_t kc, const float* x, size_t x_stride,
    uint8_t* q, size_t q_stride, tsr_qd8_params* params);

/**
 * Static (calibrated) row quantization: every row uses the same parameters `p`
 * (from tsr_qd8_row_params(calibrated_min, calibrated_max)) and column k is first
 * multiplied by multipliers[k] (SmoothQuant's 1/s_k; NULL = 1):
 *   q[i][k] = clamp(nearbyintf(x[i][k] · multipliers[k] · p.inv_scale) + p.zero_point, 0, 255)
 * where x · multipliers[k] is rounded to float before the scaling (two roundings,
 * no FMA) and values beyond the range saturate. params[0, m) are all set to `p`.
 * Portable C; reentrant.
 */
void tsr_f32_qd8_quantize_static(
    size_t m, size_t kc, const float* x, size_t x_stride,
    const float* multipliers, tsr_qd8_params p,
    uint8_t* q, size_t q_stride, tsr_qd8_params* params);

/** The definition of the GEMM on unpacked W[N][K]; bias NULL = +0.0f. */
void tsr_qd8_f32_qc8w_gemm_reference(
    size_t m, size_t n, size_t kc,
    const uint8_t* a, size_t a_stride, const tsr_qd8_params* params,
    const int8_t* w, size_t w_stride, const float* w_scale, const float* bias,
    float* c, size_t c_stride);

/** The exact int32 accumulators acc[m][n] of the definition above (for tests). */
void tsr_qd8_qc8w_gemm_reference_acc(
    size_t m, size_t n, size_t kc,
    const uint8_t* a, size_t a_stride, const tsr_qd8_params* params,
    const int8_t* w, size_t w_stride,
    int32_t* acc, size_t acc_stride);

#ifdef __cplusplus
}
#endif

#endif /* TESSERA_KERNELS_H */

#include "tessera/f32-vmath.h" /* float vector math for transformers */
#include "tessera/f32-gemm.h"  /* float GEMM with weights packed once */
#include "tessera/spin-pause.h" /* spin-wait hint for the Swift thread pool */
