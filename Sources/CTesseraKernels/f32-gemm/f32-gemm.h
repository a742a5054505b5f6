/*
 * f32-gemm.h — float32 GEMM micro-kernels over weights packed once, their pack
 * function and shared helpers (internal to CTesseraKernels; the contract is in
 * include/tessera/f32-gemm.h).
 *
 * Packed layout "f32-goi": ceil(N / NR) panels of round_up(4·NR·(1 + K), 64)
 * bytes; a panel holds float bias[NR], then for each k the NR floats
 * W[n0 + j][k], j < NR (k-major, so one k step is NR/16 zmm loads); zeros past N.
 */
#ifndef TESSERA_F32_GEMM_INTERNAL_H
#define TESSERA_F32_GEMM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tessera_kernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#define TSR_F32_GEMM_X86_64 1
#else
#define TSR_F32_GEMM_X86_64 0
#endif

#define TSR_F32_GEMM_UNROLL _Pragma("GCC unroll 16")
#define TSR_F32_GEMM_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define TSR_F32_GEMM_TARGET_AVX512F __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

/* Bytes of one panel. */
static inline size_t tsr_f32_gemm_panel_bytes(size_t nr, size_t kc) {
  return (nr * sizeof(float) * (1 + kc) + 63) & ~(size_t)63;
}

/* MARK: - Pack */

void tsr_f32_gemm_pack_goi(
    size_t n, size_t kc, size_t nr,
    const float* w, size_t w_stride, const float* bias,
    void* packed);

/* MARK: - GEMM micro-kernels (tsr_f32_gemm_ukernel_fn) */

#define TSR_F32_GEMM_UKERNEL(name)                                                            \
  void name(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const void* w, \
            float* c, size_t c_stride)

TSR_F32_GEMM_UKERNEL(tsr_f32_gemm_ukernel_4x8__scalar);
TSR_F32_GEMM_UKERNEL(tsr_f32_gemm_ukernel_4x16__scalar);
TSR_F32_GEMM_UKERNEL(tsr_f32_gemm_ukernel_4x32__scalar);
#if TSR_F32_GEMM_X86_64
TSR_F32_GEMM_UKERNEL(tsr_f32_gemm_ukernel_6x16__avx2);
TSR_F32_GEMM_UKERNEL(tsr_f32_gemm_ukernel_12x32__avx512f);
#endif

#endif /* TESSERA_F32_GEMM_INTERNAL_H */
