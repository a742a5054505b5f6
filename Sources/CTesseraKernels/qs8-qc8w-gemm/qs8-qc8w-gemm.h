/*
 * qs8-qc8w-gemm.h — qs8 × qc8w GEMM micro-kernels, their pack functions and the
 * helpers they share (internal to CTesseraKernels; see docs/kernels.md).
 *
 * Packed layout "goi" (both pack functions): ceil(N / NR) panels of
 * round_up(NR·4 + NR·round_up(K, KR), 64) bytes. A panel holds NR int32
 * adjusted biases, then for each K group g of KR: for each column j < NR: the KR
 * weights W[n0 + j][g·KR .. g·KR + KR), zero bytes past N and past K. Padding
 * columns have zero biases and zero weights, so their results are never stored.
 *
 * The two pack functions differ in how a weight byte is stored:
 *   _s8w: as is (signed). Adjusted bias = bias − a_zero_point · Σ_k W[n][k].
 *         Consumers multiply signed A by signed W (AVX2 vpmaddwd after widening).
 *   _u8w: as W XOR 0x80 = W + 128 (unsigned), the u8 operand of vpdpbusd, so A
 *         stays signed and feeds vpdpbusd directly (a broadcast, no per-element
 *         fix-up). Adjusted bias = bias − a_zero_point · Σ_k W[n][k]; consumers
 *         subtract 128 · Σ_k A[m][k] (a per-row sum taken once per call).
 */
#ifndef TESSERA_QS8_QC8W_GEMM_H
#define TESSERA_QS8_QC8W_GEMM_H

#include <stddef.h>
#include <stdint.h>

#include "tessera_kernels.h"
#include "../packw/pack-goi.h"

#if defined(__x86_64__) || defined(_M_X64)
#define TSR_GEMM_X86_64 1
#else
#define TSR_GEMM_X86_64 0
#endif

/* Full unrolling of the small constant loops over rows and vectors, so that the
 * accumulator arrays live in registers (clang and GCC both honour it). */
#define TSR_UNROLL _Pragma("GCC unroll 16")

#define TSR_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define TSR_TARGET_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define TSR_TARGET_AVXVNNI __attribute__((target("avx2,fma,avxvnni")))

/* AArch64: per-function architecture extensions (GCC and clang spellings agree),
 * so the file compiles for plain armv8-a and the code runs only after dispatch. */
#if defined(__aarch64__)
#define TSR_GEMM_ARM64 1
#define TSR_TARGET_NEONDOT __attribute__((target("arch=armv8.2-a+dotprod")))
#define TSR_TARGET_NEONI8MM __attribute__((target("arch=armv8.2-a+dotprod+i8mm")))
#else
#define TSR_GEMM_ARM64 0
#endif


/* MARK: - Pack functions (tsr_qs8_qc8w_pack_fn) */

void tsr_qs8_qc8w_pack_gemm_goi_s8w(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed);

void tsr_qs8_qc8w_pack_gemm_goi_u8w(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride,
    const int32_t* bias, int32_t a_zero_point,
    void* packed);

/* MARK: - Micro-kernels (tsr_qs8_qc8w_gemm_ukernel_fn) */

#define TSR_GEMM_UKERNEL(name)                                         \
  void name(size_t mr, size_t nc, size_t kc, const int8_t* a,          \
            size_t a_stride, const void* w, int8_t* c, size_t c_stride, \
            const float* scale, const tsr_qs8_minmax_params* params)

TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_4x8c8__scalar);
TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_4x16c4__scalar);
TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_4x32c4__scalar);
#if TSR_GEMM_X86_64
TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_4x8c8__avx2);
TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_12x32c4__avx512vnni);
TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_16x16c4__avx512vnni);
TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_6x16c4__avxvnni);
#endif

#if TSR_GEMM_ARM64
TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_4x8c8__neondot);
TSR_GEMM_UKERNEL(tsr_qs8_qc8w_gemm_minmax_fp32_ukernel_8x8c8__neoni8mm);
#endif

#endif /* TESSERA_QS8_QC8W_GEMM_H */
