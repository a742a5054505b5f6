/*
 * 6x16c4-avxvnni.c — 6 rows × 16 columns per step, K in groups of 4, VEX
 * vpdpbusd (AVX-VNNI) on ymm: 12 accumulators + 2 weight vectors + 1 broadcast
 * fit the 16 ymm registers. Layout: goi-qd8, NR = 16, KR = 4 (scalar twin
 * 4x16c4). Same scheme as the AVX-512 VNNI body: uint8 activation broadcast =
 * unsigned operand, packed weights = signed operand, accumulators start at
 * −zero_point · colsum; epilogue mulps, mulps (pinned), addps, as the reference.
 * Calls with ≤ 3 rows run a 3-row instance.
 */
#include "qd8-f32-qc8w-gemm.h"

#if TSR_QD8_X86_64
#include <immintrin.h>

#define TSR_QD8_TARGET_AVXVNNI __attribute__((target("avx2,fma,avxvnni")))

__attribute__((always_inline)) TSR_QD8_TARGET_AVXVNNI static inline void tsr_qd8_avxvnni_goi(
    const int MR, size_t mr, size_t nc, size_t kc, const uint8_t* a, size_t a_stride,
    const tsr_qd8_params* params, const void* w, float* c, size_t c_stride) {
  enum { NB = 2, NR = 16 };
  const uint8_t* ar[6];
  float* cr[6];
  int32_t nzp[6];
  float sc[6];
  int32_t tail[6];
  size_t pi[6];
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
    uint32_t t = 0;
    for (size_t i = 0; i < kc - kc4; i++) t |= (uint32_t)ar[r][kc4 + i] << (8 * i);
    tail[r] = (int32_t)t;
  }
  const size_t panel = tsr_qd8_panel_bytes(NR, 4, kc);
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const uint8_t* p = (const uint8_t*)w;
  for (;;) {
    __m256i acc[6][NB];
    TSR_QD8_UNROLL for (int j = 0; j < NB; j++) {
      const __m256i vcolsum = _mm256_loadu_si256((const __m256i*)(p + 32 * j));
      TSR_QD8_UNROLL for (int r = 0; r < MR; r++) acc[r][j] = _mm256_mullo_epi32(vcolsum, _mm256_set1_epi32(nzp[r]));
    }
    const uint8_t* pw = p + NR * 12;
    for (size_t k = 0; k < kc4; k += 4) {
      __m256i vw[NB];
      TSR_QD8_UNROLL for (int j = 0; j < NB; j++) vw[j] = _mm256_loadu_si256((const __m256i*)(pw + 32 * j));
      pw += NR * 4;
      TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
        int32_t a4;
        __builtin_memcpy(&a4, ar[r] + k, sizeof(a4));
        const __m256i va = _mm256_set1_epi32(a4);
        TSR_QD8_UNROLL for (int j = 0; j < NB; j++) acc[r][j] = _mm256_dpbusd_avx_epi32(acc[r][j], va, vw[j]);
      }
    }
    if (kc4 != kc) {
      __m256i vw[NB];
      TSR_QD8_UNROLL for (int j = 0; j < NB; j++) vw[j] = _mm256_loadu_si256((const __m256i*)(pw + 32 * j));
      TSR_QD8_UNROLL for (int r = 0; r < MR; r++) {
        const __m256i va = _mm256_set1_epi32(tail[r]);
        TSR_QD8_UNROLL for (int j = 0; j < NB; j++) acc[r][j] = _mm256_dpbusd_avx_epi32(acc[r][j], va, vw[j]);
      }
    }
    TSR_QD8_UNROLL for (int j = 0; j < NB; j++) {
      const size_t rem = nc > 8 * (size_t)j ? nc - 8 * (size_t)j : 0;
      if (rem == 0) break;
      const __m256i vmask = _mm256_cmpgt_epi32(_mm256_set1_epi32(rem >= 8 ? 8 : (int)rem), lanes);
      const __m256 vws = _mm256_loadu_ps((const float*)(p + NR * 4) + 8 * j);
      const __m256 vb = _mm256_loadu_ps((const float*)(p + NR * 8) + 8 * j);
      /* Highest row first: aliased rows store before the real one overwrites. */
      TSR_QD8_UNROLL for (int r = MR - 1; r >= 0; r--) {
        const __m256 vp = _mm256_mul_ps(_mm256_set1_ps(sc[r]), vws);
        __m256 t = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][j]), vp);
        TSR_QD8_ROUNDED(t);
        const __m256 y = _mm256_add_ps(t, vb);
        if (rem >= 8) {
          _mm256_storeu_ps(cr[r] + 8 * j, y);
        } else {
          _mm256_maskstore_ps(cr[r] + 8 * j, vmask, y);
        }
      }
    }
    if (nc <= NR) break;
    nc -= NR;
    p += panel;
    TSR_QD8_UNROLL for (int r = 0; r < MR; r++) cr[r] += NR;
  }
}

TSR_QD8_TARGET_AVXVNNI TSR_QD8_GEMM_UKERNEL(tsr_qd8_f32_qc8w_gemm_ukernel_6x16c4__avxvnni) {
  if (mr <= 3) {
    tsr_qd8_avxvnni_goi(3, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  } else {
    tsr_qd8_avxvnni_goi(6, mr, nc, kc, a, a_stride, params, w, c, c_stride);
  }
}
#endif
