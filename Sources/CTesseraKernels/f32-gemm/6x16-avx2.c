/*
 * 6x16-avx2.c — 6 rows × 16 columns per step on ymm (AVX2 + FMA): 12
 * accumulators (bias-initialized), 2 weight vectors per k, 1 broadcast per row
 * and k. Layout: f32-goi, NR = 16. Short calls run a 2- or 4-row instance;
 * the last panel's columns past nc go through a stack tile (no masked store of
 * floats narrower than a vector on AVX2).
 */
#include <string.h>

#include "f32-gemm.h"

#if TSR_F32_GEMM_X86_64
#include <immintrin.h>

__attribute__((always_inline)) TSR_F32_GEMM_TARGET_AVX2 static inline void tsr_f32_gemm_avx2_goi(
    const int MR, size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const void* w, float* c, size_t c_stride) {
  enum { NR = 16 };
  const float* ar[8];
  float* cr[8];
  ar[0] = a;
  cr[0] = c;
  TSR_F32_GEMM_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
  }
  const size_t panel = tsr_f32_gemm_panel_bytes(NR, kc);
  const float* p = (const float*)w;
  for (;;) {
    __m256 acc[8][2];
    const __m256 vb0 = _mm256_loadu_ps(p), vb1 = _mm256_loadu_ps(p + 8);
    TSR_F32_GEMM_UNROLL for (int r = 0; r < MR; r++) acc[r][0] = vb0, acc[r][1] = vb1;
    const float* pw = p + NR;
    for (size_t k = 0; k < kc; k++) {
      const __m256 vw0 = _mm256_loadu_ps(pw), vw1 = _mm256_loadu_ps(pw + 8);
      pw += NR;
      TSR_F32_GEMM_UNROLL for (int r = 0; r < MR; r++) {
        const __m256 va = _mm256_broadcast_ss(ar[r] + k);
        acc[r][0] = _mm256_fmadd_ps(va, vw0, acc[r][0]);
        acc[r][1] = _mm256_fmadd_ps(va, vw1, acc[r][1]);
      }
    }
    if (nc >= NR) {
      TSR_F32_GEMM_UNROLL for (int r = MR - 1; r >= 0; r--) {
        _mm256_storeu_ps(cr[r], acc[r][0]);
        _mm256_storeu_ps(cr[r] + 8, acc[r][1]);
      }
    } else {
      TSR_F32_GEMM_UNROLL for (int r = MR - 1; r >= 0; r--) {
        float tile[NR];
        _mm256_storeu_ps(tile, acc[r][0]);
        _mm256_storeu_ps(tile + 8, acc[r][1]);
        memcpy(cr[r], tile, nc * sizeof(float));
      }
    }
    if (nc <= NR) break;
    nc -= NR;
    p = (const float*)((const uint8_t*)p + panel);
    TSR_F32_GEMM_UNROLL for (int r = 0; r < MR; r++) cr[r] += NR;
  }
}

TSR_F32_GEMM_TARGET_AVX2 TSR_F32_GEMM_UKERNEL(tsr_f32_gemm_ukernel_6x16__avx2) {
  if (mr <= 2) {
    tsr_f32_gemm_avx2_goi(2, mr, nc, kc, a, a_stride, w, c, c_stride);
  } else if (mr <= 4) {
    tsr_f32_gemm_avx2_goi(4, mr, nc, kc, a, a_stride, w, c, c_stride);
  } else {
    tsr_f32_gemm_avx2_goi(6, mr, nc, kc, a, a_stride, w, c, c_stride);
  }
}
#endif
