/*
 * avx2-goi-s8w.h — the AVX2 micro-kernel body, instantiated by the
 * <MR>x8c8-avx2.c files with a constant MR.
 *
 * Layout: goi with NR = 8, KR = 8, signed weights (pack_gemm_goi_s8w). Exact by
 * construction: A and W are sign-extended to int16 (vpmovsxbw) and multiplied
 * with vpmaddwd, whose int16 × int16 pair sums cannot overflow int32. (vpmaddubsw
 * would saturate u8 × s8 pair sums above 32767, see ARCHITECTURE.md.)
 *
 * Per 8-deep K step and row: 8 A values, widened and repeated in both 128-bit
 * lanes, meet 4 weight vectors holding columns (0,1), (2,3), (4,5), (6,7) × 8 K.
 * Accumulator lane i of column pair (2p, 2p+1) is a partial sum of column
 * 2p + i/4; three hadd + one permute finish the 8 column sums.
 */
#ifndef TESSERA_GEMM_AVX2_GOI_S8W_H
#define TESSERA_GEMM_AVX2_GOI_S8W_H

#include "qs8-qc8w-gemm.h"

#if TSR_GEMM_X86_64
#include <immintrin.h>

__attribute__((always_inline)) TSR_TARGET_AVX2 static inline void tsr_avx2_goi_s8w(
    const int MR,
    size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
    const void* w, int8_t* c, size_t c_stride,
    const float* scale, const tsr_qs8_minmax_params* params) {
  const int8_t* ar[8];
  int8_t* cr[8];
  int64_t tail[8];
  ar[0] = a;
  cr[0] = c;
  TSR_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
  }
  const size_t kc8 = kc & ~(size_t)7;
  TSR_UNROLL for (int r = 0; r < MR; r++) {
    /* The last partial group of 8, zero-filled: never read past the row. */
    uint64_t t = 0;
    for (size_t i = 0; i < kc - kc8; i++) t |= (uint64_t)(uint8_t)ar[r][kc8 + i] << (8 * i);
    tail[r] = (int64_t)t;
  }
  const size_t panel = tsr_goi_panel_bytes(8, 8, kc);
  const __m256 vmin = _mm256_set1_ps((float)((int32_t)params->output_min - params->output_zero_point));
  const __m256 vmax = _mm256_set1_ps((float)((int32_t)params->output_max - params->output_zero_point));
  const __m256i vzp = _mm256_set1_epi32(params->output_zero_point);
  const __m256i vperm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  const uint8_t* p = (const uint8_t*)w;
  for (;;) {
    __m256i acc[8][4];
    TSR_UNROLL for (int r = 0; r < MR; r++) {
      TSR_UNROLL for (int q = 0; q < 4; q++) acc[r][q] = _mm256_setzero_si256();
    }
    const uint8_t* pw = p + 8 * sizeof(int32_t);
    for (size_t k = 0; k < kc8; k += 8) {
      __m256i va[8];
      TSR_UNROLL for (int r = 0; r < MR; r++) {
        int64_t a8;
        __builtin_memcpy(&a8, ar[r] + k, sizeof(a8));
        va[r] = _mm256_cvtepi8_epi16(_mm_set1_epi64x(a8));
      }
      TSR_UNROLL for (int q = 0; q < 4; q++) {
        const __m256i vw = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(pw + 16 * q)));
        TSR_UNROLL for (int r = 0; r < MR; r++) acc[r][q] = _mm256_add_epi32(acc[r][q], _mm256_madd_epi16(va[r], vw));
      }
      pw += 64;
    }
    if (kc8 != kc) {
      __m256i va[8];
      TSR_UNROLL for (int r = 0; r < MR; r++) va[r] = _mm256_cvtepi8_epi16(_mm_set1_epi64x(tail[r]));
      TSR_UNROLL for (int q = 0; q < 4; q++) {
        const __m256i vw = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(pw + 16 * q)));
        TSR_UNROLL for (int r = 0; r < MR; r++) acc[r][q] = _mm256_add_epi32(acc[r][q], _mm256_madd_epi16(va[r], vw));
      }
    }
    const __m256i vbias = _mm256_loadu_si256((const __m256i*)p);
    const size_t count = nc < 8 ? nc : 8;
    const __m256 vs = count == 8 ? _mm256_loadu_ps(scale)
        : _mm256_maskload_ps(scale, _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
    TSR_UNROLL for (int r = MR - 1; r >= 0; r--) {
      const __m256i s01 = _mm256_hadd_epi32(acc[r][0], acc[r][1]);
      const __m256i s23 = _mm256_hadd_epi32(acc[r][2], acc[r][3]);
      const __m256i s = _mm256_permutevar8x32_epi32(_mm256_hadd_epi32(s01, s23), vperm);
      __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(s, vbias)), vs);
      f = _mm256_min_ps(_mm256_max_ps(f, vmin), vmax);
      const __m256i q32 = _mm256_add_epi32(_mm256_cvtps_epi32(f), vzp);
      const __m128i q16 = _mm_packs_epi32(_mm256_castsi256_si128(q32), _mm256_extracti128_si256(q32, 1));
      const __m128i q8 = _mm_packs_epi16(q16, q16);
      if (count == 8) {
        _mm_storel_epi64((__m128i*)cr[r], q8);
      } else {
        int8_t out[16];
        _mm_storeu_si128((__m128i*)out, q8);
        for (size_t j = 0; j < count; j++) cr[r][j] = out[j];
      }
    }
    if (nc <= 8) break;
    nc -= 8;
    scale += 8;
    p += panel;
    TSR_UNROLL for (int r = 0; r < MR; r++) cr[r] += 8;
  }
}

#endif /* TSR_GEMM_X86_64 */
#endif /* TESSERA_GEMM_AVX2_GOI_S8W_H */
