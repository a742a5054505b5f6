/*
 * 4x8c8-avx2.c — 4 rows × 8 columns per step, K in groups of 8, on ymm. Layout:
 * goi-qd8, NR = 8, KR = 8. Exact: activations are zero-extended and weights
 * sign-extended to int16 (vpmovzxbw / vpmovsxbw) and multiplied with vpmaddwd,
 * whose pair sums (≤ 2 · 255 · 128) cannot overflow; vpmaddubsw would saturate.
 * Each 16-byte weight load holds columns (2q, 2q+1) × 8 K; three vphaddd and a
 * vpermd give a row's 8 column sums, then − zero_point · colsum and the float
 * epilogue of the reference (mulps, mulps forced to round, addps).
 */
#include "qd8-f32-qc8w-gemm.h"

#if TSR_QD8_X86_64
#include <immintrin.h>

__attribute__((always_inline)) TSR_QD8_TARGET_AVX2 static inline void tsr_qd8_avx2_goi(
    const int MR, size_t mr, size_t nc, size_t kc, const uint8_t* a, size_t a_stride,
    const tsr_qd8_params* params, const void* w, float* c, size_t c_stride) {
  const uint8_t* ar[4];
  float* cr[4];
  size_t pi[4];
  int64_t tail[4];
  ar[0] = a;
  cr[0] = c;
  pi[0] = 0;
  TSR_QD8_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
    pi[r] = (size_t)r < mr ? (size_t)r : pi[r - 1];
  }
  const size_t kc8 = kc & ~(size_t)7;
  TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
    uint64_t t = 0;
    for (size_t i = 0; i < kc - kc8; i++) t |= (uint64_t)ar[r][kc8 + i] << (8 * i);
    tail[r] = (int64_t)t;
  }
  const size_t panel = tsr_qd8_panel_bytes(8, 8, kc);
  const __m256i vperm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  const uint8_t* p = (const uint8_t*)w;
  for (;;) {
    __m256i acc[4][4];
    TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
      TSR_QD8_UNROLL for (int q = 0; q < 4; q++) acc[r][q] = _mm256_setzero_si256();
    }
    const uint8_t* pw = p + 8 * 12;
    for (size_t k = 0; k < kc8; k += 8) {
      __m256i va[4];
      TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
        int64_t a8;
        __builtin_memcpy(&a8, ar[r] + k, sizeof(a8));
        va[r] = _mm256_cvtepu8_epi16(_mm_set1_epi64x(a8));
      }
      TSR_QD8_UNROLL for (int q = 0; q < 4; q++) {
        const __m256i vw = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(pw + 16 * q)));
        TSR_QD8_UNROLL for (int r = 0; r < MR; r++) acc[r][q] = _mm256_add_epi32(acc[r][q], _mm256_madd_epi16(va[r], vw));
      }
      pw += 64;
    }
    if (kc8 != kc) {
      __m256i va[4];
      TSR_QD8_UNROLL for (int r = 0; r < MR; r++) va[r] = _mm256_cvtepu8_epi16(_mm_set1_epi64x(tail[r]));
      TSR_QD8_UNROLL for (int q = 0; q < 4; q++) {
        const __m256i vw = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(pw + 16 * q)));
        TSR_QD8_UNROLL for (int r = 0; r < MR; r++) acc[r][q] = _mm256_add_epi32(acc[r][q], _mm256_madd_epi16(va[r], vw));
      }
    }
    const __m256i vcolsum = _mm256_loadu_si256((const __m256i*)p);
    const __m256 vws = _mm256_loadu_ps((const float*)(p + 32));
    const __m256 vb = _mm256_loadu_ps((const float*)(p + 64));
    const size_t count = nc < 8 ? nc : 8;
    const __m256i vmask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    TSR_QD8_UNROLL for (int r = MR - 1; r >= 0; r--) {
      const __m256i s01 = _mm256_hadd_epi32(acc[r][0], acc[r][1]);
      const __m256i s23 = _mm256_hadd_epi32(acc[r][2], acc[r][3]);
      __m256i s = _mm256_permutevar8x32_epi32(_mm256_hadd_epi32(s01, s23), vperm);
      s = _mm256_sub_epi32(s, _mm256_mullo_epi32(vcolsum, _mm256_set1_epi32(params[pi[r]].zero_point)));
      const __m256 vp = _mm256_mul_ps(_mm256_set1_ps(params[pi[r]].scale), vws);
      __m256 t = _mm256_mul_ps(_mm256_cvtepi32_ps(s), vp);
      TSR_QD8_ROUNDED(t);
      const __m256 y = _mm256_add_ps(t, vb);
      if (count == 8) {
        _mm256_storeu_ps(cr[r], y);
      } else {
        _mm256_maskstore_ps(cr[r], vmask, y);
      }
    }
    if (nc <= 8) break;
    nc -= 8;
    p += panel;
    TSR_QD8_UNROLL for (int r = 0; r < MR; r++) cr[r] += 8;
  }
}

TSR_QD8_TARGET_AVX2 TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_4x8c8__avx2) {
  if (mr <= 2) {
    tsr_qd8_avx2_goi(2, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  } else {
    tsr_qd8_avx2_goi(4, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  }
}
#endif
