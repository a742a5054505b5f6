/*
 * avx512vnni-goi.h — the AVX-512 VNNI qd8 micro-kernel body, instantiated by
 * <MR>x<NR>c4-avx512vnni.c with constant MR and NB = NR / 16.
 *
 * Layout: goi-qd8 with KR = 4. The 4 uint8 activations of a row, broadcast to
 * all lanes, are vpdpbusd's unsigned operand and the packed weights its signed
 * one, so the inner loop is loads, broadcasts and vpdpbusd only (no fix-up).
 * Accumulators start at −zero_point_m · colsum[n] (vpmulld, once per panel),
 * which is the reference's wrapping int32 acc after the K loop.
 *
 * Epilogue, as the reference: p = scale_m · w_scale (mulps), t = cvtdq2ps(acc)
 * · p (mulps, forced to round by TSR_QD8_ROUNDED), y = t + bias (addps), masked
 * store of the last partial vector.
 */
#ifndef TESSERA_QD8_AVX512VNNI_GOI_H
#define TESSERA_QD8_AVX512VNNI_GOI_H

#include "qd8-f32-qc8w-gemm.h"

#if TSR_QD8_X86_64
#include <immintrin.h>

__attribute__((always_inline)) TSR_QD8_TARGET_AVX512VNNI static inline void tsr_qd8_avx512vnni_goi(
    const int MR, const int NB,
    size_t mr, size_t nc, size_t kc, const uint8_t* a, size_t a_stride, const tsr_qd8_params* params,
    const void* w, float* c, size_t c_stride) {
  const size_t NR = 16 * (size_t)NB;
  /* Rows past mr alias the previous row: computed, never stored. */
  const uint8_t* ar[16];
  float* cr[16];
  int32_t nzp[16];
  float sc[16];
  int32_t tail[16];
  size_t pi[16];
  ar[0] = a;
  cr[0] = c;
  pi[0] = 0;
  TSR_QD8_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
    pi[r] = (size_t)r < mr ? (size_t)r : pi[r - 1];
  }
  const size_t kc4 = kc & ~(size_t)3;
  TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
    nzp[r] = (int32_t)(0u - (uint32_t)params[pi[r]].zero_point);
    sc[r] = params[pi[r]].scale;
    /* The last partial group of 4, zero-filled: never read past the row. */
    uint32_t t = 0;
    for (size_t i = 0; i < kc - kc4; i++) t |= (uint32_t)ar[r][kc4 + i] << (8 * i);
    tail[r] = (int32_t)t;
  }
  const size_t panel = tsr_qd8_panel_bytes(NR, 4, kc);
  const uint8_t* p = (const uint8_t*)w;
  for (;;) {
    __m512i acc[16][4];
    TSR_QD8_UNROLL for (int j = 0; j < NB; j++) {
      const __m512i vcolsum = _mm512_loadu_si512(p + 64 * j);
      TSR_QD8_UNROLL for (int r = 0; r < MR; r++) acc[r][j] = _mm512_mullo_epi32(vcolsum, _mm512_set1_epi32(nzp[r]));
    }
    const uint8_t* pw = p + NR * 12;
    for (size_t k = 0; k < kc4; k += 4) {
      __m512i vw[4];
      TSR_QD8_UNROLL for (int j = 0; j < NB; j++) vw[j] = _mm512_loadu_si512(pw + 64 * j);
      pw += NR * 4;
      TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
        int32_t a4;
        __builtin_memcpy(&a4, ar[r] + k, sizeof(a4));
        const __m512i va = _mm512_set1_epi32(a4);
        TSR_QD8_UNROLL for (int j = 0; j < NB; j++) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], va, vw[j]);
      }
    }
    if (kc4 != kc) {
      __m512i vw[4];
      TSR_QD8_UNROLL for (int j = 0; j < NB; j++) vw[j] = _mm512_loadu_si512(pw + 64 * j);
      TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
        const __m512i va = _mm512_set1_epi32(tail[r]);
        TSR_QD8_UNROLL for (int j = 0; j < NB; j++) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], va, vw[j]);
      }
    }
    TSR_QD8_UNROLL for (int j = 0; j < NB; j++) {
      const size_t rem = nc > 16 * (size_t)j ? nc - 16 * (size_t)j : 0;
      if (rem == 0) break;
      const __mmask16 m = rem >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << rem) - 1u);
      const __m512 vws = _mm512_loadu_ps((const float*)(p + NR * 4) + 16 * j);
      const __m512 vb = _mm512_loadu_ps((const float*)(p + NR * 8) + 16 * j);
      /* Highest row first: aliased rows store before the real one overwrites. */
      TSR_QD8_UNROLL for (int r = MR - 1; r >= 0; r--) {
        const __m512 vp = _mm512_mul_ps(_mm512_set1_ps(sc[r]), vws);
        __m512 t = _mm512_mul_ps(_mm512_cvtepi32_ps(acc[r][j]), vp);
        TSR_QD8_ROUNDED(t);
        _mm512_mask_storeu_ps(cr[r] + 16 * j, m, _mm512_add_ps(t, vb));
      }
    }
    if (nc <= NR) break;
    nc -= NR;
    p += panel;
    TSR_QD8_UNROLL for (int r = 0; r < MR; r++) cr[r] += NR;
  }
}

#endif /* TSR_QD8_X86_64 */
#endif /* TESSERA_QD8_AVX512VNNI_GOI_H */
