/*
 * avx512vnni-goi-u8w.h — the AVX-512 VNNI micro-kernel body, instantiated by the
 * <MR>x<NR>c4-avx512vnni.c files with constant MR and NB = NR / 16.
 *
 * Layout: goi with KR = 4, weights stored as W + 128 (pack_gemm_goi_u8w), so a
 * zmm of weights is the unsigned operand of vpdpbusd and the 4 signed A bytes
 * of a row, broadcast to all lanes, are the signed one: no per-element fix-up
 * in the loop. acc = bias' − 128 · Σ_k A[m][k] + Σ_k A[m][k] · (W[n][k] + 128).
 *
 * Registers: MR × NB accumulators + NB weight vectors + 1 broadcast (≤ 32 zmm).
 * Requantization matches tsr_qs8_requantize_fp32 bit for bit: cvtdq2ps (exact
 * rounding as the C cast), mulps, maxps/minps with the float bounds, cvtps2dq
 * (round half to even under the default MXCSR), + zero point, vpmovsdb.
 */
#ifndef TESSERA_GEMM_AVX512VNNI_GOI_U8W_H
#define TESSERA_GEMM_AVX512VNNI_GOI_U8W_H

#include "qs8-qc8w-gemm.h"

#if TSR_GEMM_X86_64
#include <immintrin.h>

/* Σ_k a[k] exactly: vpdpbusd of all-ones (u8) with 64 signed bytes at a time. */
TSR_TARGET_AVX512VNNI static inline int32_t tsr_avx512vnni_row_sum(const int8_t* a, size_t kc) {
  const __m512i ones = _mm512_set1_epi8(1);
  __m512i acc = _mm512_setzero_si512();
  size_t k = 0;
  for (; k + 64 <= kc; k += 64) acc = _mm512_dpbusd_epi32(acc, ones, _mm512_loadu_si512(a + k));
  if (k < kc) {
    const __mmask64 m = ~(uint64_t)0 >> (64 - (kc - k));
    acc = _mm512_dpbusd_epi32(acc, ones, _mm512_maskz_loadu_epi8(m, a + k));
  }
  return _mm512_reduce_add_epi32(acc);
}

__attribute__((always_inline)) TSR_TARGET_AVX512VNNI static inline void tsr_avx512vnni_goi_u8w(
    const int MR, const int NB,
    size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
    const void* w, int8_t* c, size_t c_stride,
    const float* scale, const tsr_qs8_minmax_params* params) {
  const size_t NR = 16 * (size_t)NB;
  /* Rows past mr alias the previous row: computed, never stored. */
  const int8_t* ar[16];
  int8_t* cr[16];
  int32_t correction[16];
  int32_t tail[16];
  ar[0] = a;
  cr[0] = c;
  TSR_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
  }
  const size_t kc4 = kc & ~(size_t)3;
  TSR_UNROLL for (int r = 0; r < MR; r++) {
    correction[r] = (int32_t)(0u - 128u * (uint32_t)tsr_avx512vnni_row_sum(ar[r], kc));
    /* The last partial group of 4, zero-filled: never read past the row. */
    uint32_t t = 0;
    for (size_t i = 0; i < kc - kc4; i++) t |= (uint32_t)(uint8_t)ar[r][kc4 + i] << (8 * i);
    tail[r] = (int32_t)t;
  }
  const size_t panel = tsr_goi_panel_bytes(NR, 4, kc);
  const __m512 vmin = _mm512_set1_ps((float)((int32_t)params->output_min - params->output_zero_point));
  const __m512 vmax = _mm512_set1_ps((float)((int32_t)params->output_max - params->output_zero_point));
  const __m512i vzp = _mm512_set1_epi32(params->output_zero_point);
  const uint8_t* p = (const uint8_t*)w;
  for (;;) {
    __m512i acc[16][4];
    TSR_UNROLL for (int j = 0; j < NB; j++) {
      const __m512i vb = _mm512_loadu_si512(p + 64 * j);
      TSR_UNROLL for (int r = 0; r < MR; r++) acc[r][j] = _mm512_add_epi32(vb, _mm512_set1_epi32(correction[r]));
    }
    const uint8_t* pw = p + NR * sizeof(int32_t);
    for (size_t k = 0; k < kc4; k += 4) {
      __m512i vw[4];
      TSR_UNROLL for (int j = 0; j < NB; j++) vw[j] = _mm512_loadu_si512(pw + 64 * j);
      pw += NR * 4;
      TSR_UNROLL for (int r = 0; r < MR; r++) {
        int32_t a4;
        __builtin_memcpy(&a4, ar[r] + k, sizeof(a4));
        const __m512i va = _mm512_set1_epi32(a4);
        TSR_UNROLL for (int j = 0; j < NB; j++) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], vw[j], va);
      }
    }
    if (kc4 != kc) {
      __m512i vw[4];
      TSR_UNROLL for (int j = 0; j < NB; j++) vw[j] = _mm512_loadu_si512(pw + 64 * j);
      TSR_UNROLL for (int r = 0; r < MR; r++) {
        const __m512i va = _mm512_set1_epi32(tail[r]);
        TSR_UNROLL for (int j = 0; j < NB; j++) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], vw[j], va);
      }
    }
    TSR_UNROLL for (int j = 0; j < NB; j++) {
      const size_t rem = nc > 16 * (size_t)j ? nc - 16 * (size_t)j : 0;
      if (rem == 0) break;
      const __mmask16 m = rem >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << rem) - 1u);
      const __m512 vs = _mm512_maskz_loadu_ps(m, scale + 16 * j);
      /* Highest row first: aliased rows store before the real one overwrites. */
      TSR_UNROLL for (int r = MR - 1; r >= 0; r--) {
        __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(acc[r][j]), vs);
        f = _mm512_min_ps(_mm512_max_ps(f, vmin), vmax);
        const __m512i q = _mm512_add_epi32(_mm512_cvtps_epi32(f), vzp);
        _mm_mask_storeu_epi8(cr[r] + 16 * j, m, _mm512_cvtsepi32_epi8(q));
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
#endif /* TESSERA_GEMM_AVX512VNNI_GOI_U8W_H */
