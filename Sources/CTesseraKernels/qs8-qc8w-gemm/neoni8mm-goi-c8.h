/*
 * neoni8mm-goi-c8.h — the NEON int8 matrix-multiply (smmla, Armv8.6 i8mm)
 * micro-kernel body for the goi s8w layout with NR = 8, KR = 8 (the same
 * packed weights as the neondot, AVX2 and 4x8c8 scalar kernels), instantiated
 * by <MR>x8c8-neoni8mm.c with a constant even MR ≤ 8.
 *
 * `smmla` multiplies a 2×8 int8 matrix by an 8×2 one into a 2×2 int32 block.
 * Per 8-deep K step: rows (2i, 2i+1) are one q register (two 8-byte loads);
 * each 16-byte weight load is already columns (2q, 2q+1) × 8 K, the second
 * operand as smmla wants it. Accumulator (i, q) holds
 * [r2i·c2q, r2i·c2q+1, r2i+1·c2q, r2i+1·c2q+1]; at the end zip1/zip2 on 64-bit
 * lanes of (i, 0) and (i, 1) give rows 2i and 2i+1 of columns 0-3 (and (i, 2),
 * (i, 3) columns 4-7). 4 row pairs × 4 column pairs = 16 accumulators.
 */
#ifndef TESSERA_GEMM_NEONI8MM_GOI_C8_H
#define TESSERA_GEMM_NEONI8MM_GOI_C8_H

#include <string.h>

#include "qs8-qc8w-gemm.h"
#include "neon-requantize.h"

#if TSR_GEMM_ARM64

/* Rows (2i, 2i+1) of a 2×2 block pair: low/high 64-bit halves zipped. */
#define TSR_I8MM_ROW_EVEN(x, y) vreinterpretq_s32_s64(vzip1q_s64(vreinterpretq_s64_s32(x), vreinterpretq_s64_s32(y)))
#define TSR_I8MM_ROW_ODD(x, y) vreinterpretq_s32_s64(vzip2q_s64(vreinterpretq_s64_s32(x), vreinterpretq_s64_s32(y)))

__attribute__((always_inline)) TSR_TARGET_NEONI8MM static inline void tsr_neoni8mm_goi_c8(
    const int MR,
    size_t mr, size_t nc, size_t kc, const int8_t* a, size_t a_stride,
    const void* w, int8_t* c, size_t c_stride,
    const float* scale, const tsr_qs8_minmax_params* params) {
  const int8_t* ar[8];
  int8_t* cr[8];
  int8x16_t tail[4];
  ar[0] = a;
  cr[0] = c;
  /* Rows past mr repeat the last row (same values to the same place). */
  TSR_UNROLL for (int r = 1; r < MR; r++) {
    ar[r] = (size_t)r < mr ? ar[r - 1] + a_stride : ar[r - 1];
    cr[r] = (size_t)r < mr ? cr[r - 1] + c_stride : cr[r - 1];
  }
  const size_t kc8 = kc & ~(size_t)7;
  TSR_UNROLL for (int i = 0; i < MR / 2; i++) {
    /* The last partial group of 8 of both rows, zero-filled: never read past a row. */
    int8_t t[16] = {0};
    memcpy(t, ar[2 * i] + kc8, kc - kc8);
    memcpy(t + 8, ar[2 * i + 1] + kc8, kc - kc8);
    tail[i] = vld1q_s8(t);
  }
  const size_t panel = tsr_goi_panel_bytes(8, 8, kc);
  const tsr_neon_qs8_out out = tsr_neon_qs8_out_init(params);
  const uint8_t* p = (const uint8_t*)w;
  for (;;) {
    int32x4_t acc[4][4];
    TSR_UNROLL for (int i = 0; i < MR / 2; i++) {
      TSR_UNROLL for (int q = 0; q < 4; q++) acc[i][q] = vdupq_n_s32(0);
    }
    const int8_t* pw = (const int8_t*)(p + 8 * sizeof(int32_t));
    for (size_t k = 0; k < kc8; k += 8) {
      int8x16_t va[4];
      TSR_UNROLL for (int i = 0; i < MR / 2; i++) va[i] = vcombine_s8(vld1_s8(ar[2 * i] + k), vld1_s8(ar[2 * i + 1] + k));
      TSR_UNROLL for (int q = 0; q < 4; q++) {
        const int8x16_t vw = vld1q_s8(pw + 16 * q);
        TSR_UNROLL for (int i = 0; i < MR / 2; i++) acc[i][q] = vmmlaq_s32(acc[i][q], va[i], vw);
      }
      pw += 64;
    }
    if (kc8 != kc) {
      TSR_UNROLL for (int q = 0; q < 4; q++) {
        const int8x16_t vw = vld1q_s8(pw + 16 * q);
        TSR_UNROLL for (int i = 0; i < MR / 2; i++) acc[i][q] = vmmlaq_s32(acc[i][q], tail[i], vw);
      }
    }
    const int32x4_t bias0 = vld1q_s32((const int32_t*)p);
    const int32x4_t bias1 = vld1q_s32((const int32_t*)p + 4);
    const size_t count = nc < 8 ? nc : 8;
    float32x4_t s0, s1;
    tsr_neon_load_scales8(scale, count, &s0, &s1);
    TSR_UNROLL for (int i = MR / 2 - 1; i >= 0; i--) {
      const int32x4_t e0 = vaddq_s32(TSR_I8MM_ROW_EVEN(acc[i][0], acc[i][1]), bias0);
      const int32x4_t e1 = vaddq_s32(TSR_I8MM_ROW_EVEN(acc[i][2], acc[i][3]), bias1);
      const int32x4_t o0 = vaddq_s32(TSR_I8MM_ROW_ODD(acc[i][0], acc[i][1]), bias0);
      const int32x4_t o1 = vaddq_s32(TSR_I8MM_ROW_ODD(acc[i][2], acc[i][3]), bias1);
      /* Odd row first: when it repeats the even row (mr odd) both write the same bytes. */
      tsr_neon_store_s8x8(cr[2 * i + 1],
                          tsr_neon_qs8_narrow(tsr_neon_qs8_requantize(o0, s0, out), tsr_neon_qs8_requantize(o1, s1, out)),
                          count);
      tsr_neon_store_s8x8(cr[2 * i],
                          tsr_neon_qs8_narrow(tsr_neon_qs8_requantize(e0, s0, out), tsr_neon_qs8_requantize(e1, s1, out)),
                          count);
    }
    if (nc <= 8) break;
    nc -= 8;
    scale += 8;
    p += panel;
    TSR_UNROLL for (int r = 0; r < MR; r++) cr[r] += 8;
  }
}

#endif /* TSR_GEMM_ARM64 */
#endif /* TESSERA_GEMM_NEONI8MM_GOI_C8_H */
