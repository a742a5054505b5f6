/*
 * neondot-goi-c8.h — the NEON dot-product (sdot) micro-kernel body for the
 * goi s8w layout with NR = 8, KR = 8 (the AVX2 and 4x8c8 scalar layout),
 * instantiated by <MR>x8c8-neondot.c with a constant MR ≤ 4.
 *
 * Per 8-deep K step and row: A's 8 bytes are repeated in both halves of a
 * q register; each 16-byte weight load holds columns (2q, 2q+1) × 8 K, so
 * `sdot` leaves in lanes 0-1 the two 4-deep halves of column 2q and in lanes
 * 2-3 those of column 2q+1. At the end one `addp` of two such accumulators
 * gives 4 finished columns. 4 rows × 4 column pairs = 16 accumulators.
 * Signed A × signed W: exact, int32 wrapping like the reference.
 */
#ifndef TESSERA_GEMM_NEONDOT_GOI_C8_H
#define TESSERA_GEMM_NEONDOT_GOI_C8_H

#include <string.h>

#include "qs8-qc8w-gemm.h"
#include "neon-requantize.h"

#if TSR_GEMM_ARM64

__attribute__((always_inline)) TSR_TARGET_NEONDOT static inline void tsr_neondot_goi_c8(
    const int MR,
    size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
    const void* w, int8_t* c, size_t c_stride,
    const float* scale, const tsr_qs8_minmax_params* params) {
  const int8_t* ar[4];
  int8_t* cr[4];
  int8x16_t tail[4];
  ar[0] = a;
  cr[0] = c;
  /* Rows past mr repeat the last row (same values to the same place). */
  TSR_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
  }
  const size_t kc8 = kc & ~(size_t)7;
  TSR_UNROLL for (int r = 0; r < MR; r++) {
    /* The last partial group of 8, zero-filled: never read past the row. */
    int8_t t[8] = {0};
    memcpy(t, ar[r] + kc8, kc - kc8);
    tail[r] = vcombine_s8(vld1_s8(t), vld1_s8(t));
  }
  const size_t panel = tsr_goi_panel_bytes(8, 8, kc);
  const tsr_neon_qs8_out out = tsr_neon_qs8_out_init(params);
  const uint8_t* p = (const uint8_t*)w;
  for (;;) {
    int32x4_t acc[4][4];
    TSR_UNROLL for (int r = 0; r < MR; r++) {
      TSR_UNROLL for (int q = 0; q < 4; q++) acc[r][q] = vdupq_n_s32(0);
    }
    const int8_t* pw = (const int8_t*)(p + 8 * sizeof(int32_t));
    for (size_t k = 0; k < kc8; k += 8) {
      int8x16_t va[4];
      TSR_UNROLL for (int r = 0; r < MR; r++) {
        const int8x8_t a8 = vld1_s8(ar[r] + k);
        va[r] = vcombine_s8(a8, a8);
      }
      TSR_UNROLL for (int q = 0; q < 4; q++) {
        const int8x16_t vw = vld1q_s8(pw + 16 * q);
        TSR_UNROLL for (int r = 0; r < MR; r++) acc[r][q] = vdotq_s32(acc[r][q], vw, va[r]);
      }
      pw += 64;
    }
    if (kc8 != kc) {
      TSR_UNROLL for (int q = 0; q < 4; q++) {
        const int8x16_t vw = vld1q_s8(pw + 16 * q);
        TSR_UNROLL for (int r = 0; r < MR; r++) acc[r][q] = vdotq_s32(acc[r][q], vw, tail[r]);
      }
    }
    const int32x4_t bias0 = vld1q_s32((const int32_t*)p);
    const int32x4_t bias1 = vld1q_s32((const int32_t*)p + 4);
    const size_t count = nc < 8 ? nc : 8;
    float32x4_t s0, s1;
    tsr_neon_load_scales8(scale, count, &s0, &s1);
    TSR_UNROLL for (int r = MR - 1; r >= 0; r--) {
      const int32x4_t c0 = vaddq_s32(vpaddq_s32(acc[r][0], acc[r][1]), bias0);
      const int32x4_t c1 = vaddq_s32(vpaddq_s32(acc[r][2], acc[r][3]), bias1);
      const int8x8_t q8 = tsr_neon_qs8_narrow(tsr_neon_qs8_requantize(c0, s0, out), tsr_neon_qs8_requantize(c1, s1, out));
      tsr_neon_store_s8x8(cr[r], q8, count);
    }
    if (nc <= 8) break;
    nc -= 8;
    scale += 8;
    p += panel;
    TSR_UNROLL for (int r = 0; r < MR; r++) cr[r] += 8;
  }
}

#endif /* TSR_GEMM_ARM64 */
#endif /* TESSERA_GEMM_NEONDOT_GOI_C8_H */
