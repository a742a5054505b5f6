/*
 * tessera/f32-gemm.h — float32 GEMM with weights packed once (a Linear layer):
 *
 *   y[m][n] = bias[n] + Σ_k x[m][k] · W[n][k]        (W given "goi": [N][K])
 *
 * Included by tessera_kernels.h. For transformer Linear layers (MiniLM: K, N ∈
 * {384, 1536}, M = batch × sequence) where a BLAS sgemm re-packs the constant
 * weights on every call.
 *
 * Definition (tsr_f32_gemm_reference): acc = bias[n] (+0.0f when bias is NULL),
 * then for k = 0 … K−1 in order acc = fmaf(x[m][k], W[n][k], acc) — one
 * rounding per step. Every current kernel (scalar with fmaf, AVX2 + FMA,
 * AVX-512F) evaluates exactly this, so today they agree bit for bit; the
 * contract, though, is only the accuracy bound
 *   |y − y_exact| ≤ 1e-5 · sqrt(max(K, 1)) · (|bias[n]| + Σ_k |x[m][k] · W[n][k]|)
 * against the exact (double) value, which any k order with or without FMA
 * meets for K ≤ 27,000 (worst case K · 2^-24 ≤ 1e-5 · sqrt(K)); the tests
 * check both. K = 0 is allowed (y = bias). Inputs must be finite for the
 * bound to mean anything (NaN/Inf propagate as IEEE arithmetic does).
 *
 * Packed weights ("f32-goi"): ceil(N / NR) panels of
 * round_up(4 · NR · (1 + K), 64) bytes; a panel holds bias[NR] (0 when absent),
 * then for each k the NR floats W[n0 … n0+NR)[k] (k-major); zeros past N.
 * A 64-byte-aligned buffer keeps every panel 64-byte aligned (kernels do not
 * require it). Strides are in floats (elements).
 */
#ifndef TESSERA_F32_GEMM_H
#define TESSERA_F32_GEMM_H

#include <stddef.h>
#include <stdint.h>

#include "tessera_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Micro-kernel: rows [0, mr) (1 ≤ mr ≤ MR), columns [0, nc) walking NR-wide
 * panels of `w` (first panel = column 0 of this call). A has row stride a_stride
 * floats and kc columns; C has row stride c_stride floats. Reads exactly A's
 * mr × kc floats, writes exactly C's mr × nc floats. Reentrant.
 */
typedef void (*tsr_f32_gemm_ukernel_fn)(
    size_t mr, size_t nc, size_t kc,
    const float* a, size_t a_stride,
    const void* w,
    float* c, size_t c_stride);

/** Packs W[N][K] (row stride w_stride floats) and bias[N] (NULL = zeros) into NR-column panels. */
typedef void (*tsr_f32_gemm_pack_fn)(
    size_t n, size_t kc, size_t nr,
    const float* w, size_t w_stride, const float* bias,
    void* packed);

/** One enumerated f32-gemm kernel (include/tessera/f32-gemm.inc). */
typedef struct tsr_f32_gemm_kernel {
  const char* name;      /**< e.g. tsr_f32_gemm_ukernel_12x32__avx512f */
  const char* isa_name;  /**< the name's suffix: "scalar", "avx2" (AVX2 + FMA) or "avx512f" */
  tsr_isa isa;           /**< the TESSERA_ISA level it serves (avx512f: TSR_ISA_AVX512VNNI) */
  uint32_t cpu_features; /**< TSR_CPU_* bits it needs (0 for scalar) */
  uint32_t mr, nr;
  tsr_f32_gemm_ukernel_fn ukernel;
  tsr_f32_gemm_pack_fn pack;
} tsr_f32_gemm_kernel;

size_t tsr_f32_gemm_kernel_count(void);
const tsr_f32_gemm_kernel* tsr_f32_gemm_kernel_at(size_t index);
/** 1 when the CPU has the kernel's features. */
int tsr_f32_gemm_kernel_supported(const tsr_f32_gemm_kernel* kernel);
/** Bytes of one packed panel and of the whole packed weights for N columns. */
size_t tsr_f32_gemm_packed_panel_bytes(const tsr_f32_gemm_kernel* kernel, size_t kc);
size_t tsr_f32_gemm_packed_size(const tsr_f32_gemm_kernel* kernel, size_t n, size_t kc);

/**
 * The best kernel for an ISA word (NULL/"" = automatic: AVX-512F, then AVX2 + FMA,
 * then scalar). Words: "avx512vnni" or "avx512f" → the AVX-512F kernel, "avxvnni"
 * or "avx2" → AVX2 + FMA, "scalar" (and "neondot") → scalar. NULL + a one-line
 * message in err when the word is unknown or the CPU lacks the ISA.
 */
const tsr_f32_gemm_kernel* tsr_f32_gemm_select_kernel_for(const char* isa_word, char* err, size_t err_size);
/** tsr_f32_gemm_select_kernel_for with the TESSERA_ISA environment variable. */
const tsr_f32_gemm_kernel* tsr_f32_gemm_select_kernel(char* err, size_t err_size);

/**
 * Blocking driver: rows [m_begin, m_end) × columns [n_begin, n_end) (n_begin a
 * multiple of NR) of the whole problem described by a/packed/c (row 0, column
 * 0), in column chunks whose packed weights fit in half of L2 × MR-row tiles.
 * Reentrant, allocates nothing.
 */
void tsr_f32_gemm_run(
    const tsr_f32_gemm_kernel* kernel,
    size_t m_begin, size_t m_end, size_t n_begin, size_t n_end, size_t kc,
    const float* a, size_t a_stride,
    const void* packed,
    float* c, size_t c_stride);

/** The definition on unpacked W[N][K] (see above); bias NULL = +0.0f. */
void tsr_f32_gemm_reference(
    size_t m, size_t n, size_t kc,
    const float* a, size_t a_stride,
    const float* w, size_t w_stride, const float* bias,
    float* c, size_t c_stride);

#ifdef __cplusplus
}
#endif

#endif /* TESSERA_F32_GEMM_H */
