/*
 * qd8-f32-qc8w-gemm.h — qd8 (dynamically quantized uint8 activations) × qc8w
 * GEMM micro-kernels with float output, their pack function, the row-quantize
 * kernels and shared helpers (internal to CTesseraKernels; the contract is in
 * tessera_kernels.h, the derivation in docs/quantization.md).
 *
 * Packed layout "goi-qd8": ceil(N / NR) panels of
 * round_up(NR·12 + NR·round_up(K, KR), 64) bytes. A panel holds int32 colsum[NR]
 * (Σ_k W[n][k], for the zero-point correction), float w_scale[NR], float
 * bias[NR] (0 when absent), then for each K group g of KR, for each column
 * j < NR, the KR signed weights W[n0 + j][g·KR …]; zeros past N and past K.
 * Activations are the unsigned operand of vpdpbusd, weights the signed one, so
 * neither needs a fix-up in the inner loop.
 */
#ifndef TESSERA_QD8_F32_QC8W_GEMM_H
#define TESSERA_QD8_F32_QC8W_GEMM_H

#include <stddef.h>
#include <stdint.h>

#include "tessera_kernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#define TSR_QD8_X86_64 1
#else
#define TSR_QD8_X86_64 0
#endif

#define TSR_QD8_UNROLL _Pragma("GCC unroll 16")
#define TSR_QD8_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define TSR_QD8_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))
#define TSR_QD8_TARGET_AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define TSR_QD8_TARGET_AMX __attribute__((target("amx-tile,amx-int8,avx512f,avx512bw,avx512vl")))

/*
 * The epilogue is t = (float)acc · p, then y = t + b, with two roundings. GCC's
 * default -ffp-contract=fast (gnu C) would fuse _mm*_mul_ps + _mm*_add_ps (plain
 * vector * and + in its headers) into an FMA inside FMA-enabled functions, and
 * `#pragma STDC FP_CONTRACT OFF` is not implemented by GCC. An empty asm that
 * "modifies" t forces the rounded product into a register first: no compiler
 * can contract across it. Used identically by the scalar and SIMD epilogues.
 */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define TSR_QD8_ROUNDED(v) __asm__("" : "+v"(v))
#elif defined(__GNUC__) && defined(__aarch64__)
#define TSR_QD8_ROUNDED(v) __asm__("" : "+w"(v))
#else
#define TSR_QD8_ROUNDED(v) ((void)0)
#endif

/* Bytes of one panel. */
static inline size_t tsr_qd8_panel_bytes(size_t nr, size_t kr, size_t kc) {
  const size_t kc_padded = (kc + kr - 1) / kr * kr;
  return (nr * 12 + nr * kc_padded + 63) & ~(size_t)63;
}

/* MARK: - Pack */

void tsr_qd8_f32_qc8w_pack_gemm_goi(
    size_t n, size_t kc, size_t nr, size_t kr,
    const int8_t* w, size_t w_stride, const float* w_scale, const float* bias,
    void* packed);

/* MARK: - Row quantization (tsr_f32_qd8_quantize_fn) */

#define TSR_QD8_QUANTIZE(name) \
  void name(size_t m, size_t kc, const float* x, size_t x_stride, uint8_t* q, size_t q_stride, tsr_qd8_params* params)

TSR_QD8_QUANTIZE(tsr_f32_qd8_quantize_ukernel__scalar);
#if TSR_QD8_X86_64
TSR_QD8_QUANTIZE(tsr_f32_qd8_quantize_ukernel__avx2);
TSR_QD8_QUANTIZE(tsr_f32_qd8_quantize_ukernel__avx512);
#endif

/* MARK: - GEMM micro-kernels (tsr_qd8_f32_qc8w_gemm_ukernel_fn) */

#define TSR_QD8_GEMM_UKERNEL(name)                                                           \
  void name(size_t mr, size_t nc, size_t kc, const uint8_t* a, size_t a_stride,              \
            const tsr_qd8_params* params, const void* w, float* c, size_t c_stride)

TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_4x8c8__scalar);
TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_4x32c4__scalar);
TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_4x16c4__scalar);
#if TSR_QD8_X86_64
TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_4x8c8__avx2);
TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_12x32c4__avx512vnni);
TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_32x32c4__avx512amx);
TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_6x16c4__avxvnni);
#endif

#if defined(__aarch64__)
#define TSR_QD8_ARM64 1
#define TSR_QD8_TARGET_NEONDOT __attribute__((target("arch=armv8.2-a+dotprod")))
#define TSR_QD8_TARGET_NEONI8MM __attribute__((target("arch=armv8.2-a+dotprod+i8mm")))
TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_4x8c8__neondot);
TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_8x8c8__neoni8mm);
#else
#define TSR_QD8_ARM64 0
#endif

#endif /* TESSERA_QD8_F32_QC8W_GEMM_H */
