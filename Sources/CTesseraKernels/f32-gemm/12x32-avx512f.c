/*
 * 12x32-avx512f.c — 12 rows × 32 columns per step on zmm: 24 accumulators
 * (bias-initialized), 2 weight vectors per k, 1 broadcast per row and k, FMA.
 * Layout: f32-goi, NR = 32. Calls with few rows (the last tile of M) run a 4-
 * or 8-row instance of the same body; the last panel's columns past nc are
 * computed on the zero padding and not stored (masked stores).
 */
#include "f32-gemm.h"

#if TSR_F32_GEMM_X86_64
#include <immintrin.h>

__attribute__((always_inline)) TSR_F32_GEMM_TARGET_AVX512F static inline void tsr_f32_gemm_avx512f_goi(
    const int MR, const int NB,
    size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
    const void* w, float* c, size_t c_stride) {
  const size_t NR = 16 * (size_t)NB;
  /* Rows past mr alias the previous row: computed, never stored. */
  const float* ar[16];
  float* cr[16];
  ar[0] = a;
  cr[0] = c;
  TSR_F32_GEMM_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
  }
  const size_t panel = tsr_f32_gemm_panel_bytes(NR, kc);
  const float* p = (const float*)w;
  for (;;) {
    __m512 acc[16][2];
    TSR_F32_GEMM_UNROLL for (int j = 0; j < NB; j++) {
      const __m512 vb = _mm512_loadu_ps(p + 16 * j);
      TSR_F32_GEMM_UNROLL for (int r = 0; r < MR; r++) acc[r][j] = vb;
    }
    const float* pw = p + NR;
    for (size_t k = 0; k < kc; k++) {
      __m512 vw[2];
      TSR_F32_GEMM_UNROLL for (int j = 0; j < NB; j++) vw[j] = _mm512_loadu_ps(pw + 16 * j);
      pw += NR;
      TSR_F32_GEMM_UNROLL for (int r = 0; r < MR; r++) {
        const __m512 va = _mm512_set1_ps(ar[r][k]);
        TSR_F32_GEMM_UNROLL for (int j = 0; j < NB; j++) acc[r][j] = _mm512_fmadd_ps(va, vw[j], acc[r][j]);
      }
    }
    TSR_F32_GEMM_UNROLL for (int j = 0; j < NB; j++) {
      const size_t rem = nc > 16 * (size_t)j ? nc - 16 * (size_t)j : 0;
      if (rem == 0) break;
      const __mmask16 m = rem >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << rem) - 1u);
      /* Highest row first: aliased rows store before the real one overwrites. */
      TSR_F32_GEMM_UNROLL for (int r = MR - 1; r >= 0; r--) _mm512_mask_storeu_ps(cr[r] + 16 * j, m, acc[r][j]);
    }
    if (nc <= NR) break;
    nc -= NR;
    p = (const float*)((const uint8_t*)p + panel);
    TSR_F32_GEMM_UNROLL for (int r = 0; r < MR; r++) cr[r] += NR;
  }
}

TSR_F32_GEMM_TARGET_AVX512F TSR_F32_GEMM_UKERNEL(tsr_f32_gemm_ukernel_12x32__avx512f) {
  if (mr <= 4) {
    tsr_f32_gemm_avx512f_goi(4, 2, mr, nc, kc, a, a_stride, w, c, c_stride);
  } else if (mr <= 8) {
    tsr_f32_gemm_avx512f_goi(8, 2, mr, nc, kc, a, a_stride, w, c, c_stride);
  } else {
    tsr_f32_gemm_avx512f_goi(12, 2, mr, nc, kc, a, a_stride, w, c, c_stride);
  }
}
#endif
