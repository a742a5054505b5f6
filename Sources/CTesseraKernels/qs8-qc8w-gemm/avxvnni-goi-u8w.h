/*
 * avxvnni-goi-u8w.h — the AVX-VNNI (VEX vpdpbusd on ymm) micro-kernel body,
 * instantiated by the <MR>x<NR>c4-avxvnni.c files with constant MR and
 * NB = NR / 8. For CPUs with AVX-VNNI but no AVX-512 (Intel Alder Lake and
 * later clients, AMD Zen 5 client parts); on CPUs with both, dispatch prefers
 * AVX-512 VNNI and TESSERA_ISA=avxvnni forces this path.
 *
 * Layout: goi with KR = 4, weights stored as W + 128 (pack_gemm_goi_u8w), the
 * same packing as the AVX-512 VNNI kernels: a ymm of weights is the unsigned
 * operand of vpdpbusd and the 4 signed A bytes of a row, broadcast to all
 * lanes, are the signed one. acc = bias' − 128 · Σ_k A[m][k] + Σ_k A·(W + 128).
 *
 * Registers: MR × NB accumulators + NB weight vectors + 1 broadcast (≤ 16 ymm:
 * 6 × 2 + 2 + 1 = 15 for 6x16). Requantization matches tsr_qs8_requantize_fp32
 * bit for bit: cvtdq2ps, mulps, maxps/minps with the float bounds, cvtps2dq
 * (round half to even under the default MXCSR), + zero point, then two
 * saturating packs (never saturate: the value is already inside int8).
 */
#ifndef TESSERA_GEMM_AVXVNNI_GOI_U8W_H
#define TESSERA_GEMM_AVXVNNI_GOI_U8W_H

#include <string.h>

#include "qs8-qc8w-gemm.h"

#if TSR_GEMM_X86_64
#include <immintrin.h>

/* Σ_k a[k] exactly: vpdpbusd of all-ones (u8) with 32 signed bytes at a time; the
 * last partial block goes through a zero-filled copy (never reads past a[kc−1]). */
TSR_TARGET_AVXVNNI static inline int32_t tsr_avxvnni_row_sum(const int8_t* a, size_t kc) {
  const __m256i ones = _mm256_set1_epi8(1);
  __m256i acc = _mm256_setzero_si256();
  size_t k = 0;
  for (; k + 32 <= kc; k += 32) {
    acc = _mm256_dpbusd_avx_epi32(acc, ones, _mm256_loadu_si256((const __m256i*)(a + k)));
  }
  if (k < kc) {
    int8_t rest[32] = {0};
    memcpy(rest, a + k, kc - k);
    acc = _mm256_dpbusd_avx_epi32(acc, ones, _mm256_loadu_si256((const __m256i*)rest));
  }
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  return _mm_cvtsi128_si32(s);
}

__attribute__((always_inline)) TSR_TARGET_AVXVNNI static inline void tsr_avxvnni_goi_u8w(
    const int MR, const int NB,
    size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
    const void* w, int8_t* c, size_t c_stride,
    const float* scale, const tsr_qs8_minmax_params* params) {
  const size_t NR = 8 * (size_t)NB;
  /* Rows past mr alias the previous row: computed, never stored. */
  const int8_t* ar[8];
  int8_t* cr[8];
  int32_t correction[8];
  int32_t tail[8];
  ar[0] = a;
  cr[0] = c;
  TSR_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
  }
  const size_t kc4 = kc & ~(size_t)3;
  TSR_UNROLL for (int r = 0; r < MR; r++) {
    correction[r] = (int32_t)(0u - 128u * (uint32_t)tsr_avxvnni_row_sum(ar[r], kc));
    /* The last partial group of 4, zero-filled: never read past the row. */
    uint32_t t = 0;
    for (size_t i = 0; i < kc - kc4; i++) t |= (uint32_t)(uint8_t)ar[r][kc4 + i] << (8 * i);
    tail[r] = (int32_t)t;
  }
  const size_t panel = tsr_goi_panel_bytes(NR, 4, kc);
  const __m256 vmin = _mm256_set1_ps((float)((int32_t)params->output_min - params->output_zero_point));
  const __m256 vmax = _mm256_set1_ps((float)((int32_t)params->output_max - params->output_zero_point));
  const __m256i vzp = _mm256_set1_epi32(params->output_zero_point);
  const uint8_t* p = (const uint8_t*)w;
  for (;;) {
    __m256i acc[8][4];
    TSR_UNROLL for (int j = 0; j < NB; j++) {
      const __m256i vb = _mm256_loadu_si256((const __m256i*)(p + 32 * j));
      TSR_UNROLL for (int r = 0; r < MR; r++) acc[r][j] = _mm256_add_epi32(vb, _mm256_set1_epi32(correction[r]));
    }
    const uint8_t* pw = p + NR * sizeof(int32_t);
    for (size_t k = 0; k < kc4; k += 4) {
      __m256i vw[4];
      TSR_UNROLL for (int j = 0; j < NB; j++) vw[j] = _mm256_loadu_si256((const __m256i*)(pw + 32 * j));
      pw += NR * 4;
      TSR_UNROLL for (int r = 0; r < MR; r++) {
        int32_t a4;
        __builtin_memcpy(&a4, ar[r] + k, sizeof(a4));
        const __m256i va = _mm256_set1_epi32(a4);
        TSR_UNROLL for (int j = 0; j < NB; j++) acc[r][j] = _mm256_dpbusd_avx_epi32(acc[r][j], vw[j], va);
      }
    }
    if (kc4 != kc) {
      __m256i vw[4];
      TSR_UNROLL for (int j = 0; j < NB; j++) vw[j] = _mm256_loadu_si256((const __m256i*)(pw + 32 * j));
      TSR_UNROLL for (int r = 0; r < MR; r++) {
        const __m256i va = _mm256_set1_epi32(tail[r]);
        TSR_UNROLL for (int j = 0; j < NB; j++) acc[r][j] = _mm256_dpbusd_avx_epi32(acc[r][j], vw[j], va);
      }
    }
    TSR_UNROLL for (int j = 0; j < NB; j++) {
      const size_t rem = nc > 8 * (size_t)j ? nc - 8 * (size_t)j : 0;
      if (rem == 0) break;
      const size_t count = rem < 8 ? rem : 8;
      float vs_tail[8] = {0};
      const float* sj = scale + 8 * j;
      if (count < 8) {
        memcpy(vs_tail, sj, count * sizeof(float));
        sj = vs_tail;
      }
      const __m256 vs = _mm256_loadu_ps(sj);
      /* Highest row first: aliased rows store before the real one overwrites. */
      TSR_UNROLL for (int r = MR - 1; r >= 0; r--) {
        __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][j]), vs);
        f = _mm256_min_ps(_mm256_max_ps(f, vmin), vmax);
        const __m256i q = _mm256_add_epi32(_mm256_cvtps_epi32(f), vzp);
        const __m128i q16 = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
        const __m128i q8 = _mm_packs_epi16(q16, q16);
        if (count == 8) {
          _mm_storel_epi64((__m128i*)(cr[r] + 8 * j), q8);
        } else {
          int8_t bytes[16];
          _mm_storeu_si128((__m128i*)bytes, q8);
          memcpy(cr[r] + 8 * j, bytes, count);
        }
      }
    }
    if (nc <= NR) break;
    nc -= NR;
    scale += NR;
    p += panel;
    TSR_UNROLL for (int r = 0; r < MR; r++) cr[r] += NR;
  }
}

#endif /* TSR_GEMM_X86_64 */
#endif /* TESSERA_GEMM_AVXVNNI_GOI_U8W_H */
