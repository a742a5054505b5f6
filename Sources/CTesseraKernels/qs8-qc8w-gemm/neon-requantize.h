/*
 * neon-requantize.h — the fp32 requantization of tsr_qs8_requantize_fp32 on
 * 4 NEON lanes (baseline Armv8-A, shared by the AArch64 GEMM and GEMV kernels):
 * int32 → float (vcvtq, round to nearest), fp32 multiply, clamp to
 * [min − zp, max − zp] in float, round half to even (FCVTNS = lrintf in the
 * default rounding mode), add the zero point. Bit for bit the scalar definition.
 */
#ifndef TESSERA_NEON_REQUANTIZE_H
#define TESSERA_NEON_REQUANTIZE_H

#include "tessera_kernels.h"

#if defined(__aarch64__)
#include <arm_neon.h>

/** The per-call constants of the output stage. */
typedef struct tsr_neon_qs8_out {
  float32x4_t lo, hi;
  int32x4_t zero_point;
} tsr_neon_qs8_out;

static inline tsr_neon_qs8_out tsr_neon_qs8_out_init(const tsr_qs8_minmax_params* params) {
  tsr_neon_qs8_out o;
  o.lo = vdupq_n_f32((float)((int32_t)params->output_min - params->output_zero_point));
  o.hi = vdupq_n_f32((float)((int32_t)params->output_max - params->output_zero_point));
  o.zero_point = vdupq_n_s32(params->output_zero_point);
  return o;
}

/** 4 accumulators (bias included) × 4 scales → 4 results in [output_min, output_max]. */
static inline int32x4_t tsr_neon_qs8_requantize(int32x4_t acc, float32x4_t scale, tsr_neon_qs8_out o) {
  float32x4_t x = vmulq_f32(vcvtq_f32_s32(acc), scale);
  x = vminq_f32(vmaxq_f32(x, o.lo), o.hi);
  return vaddq_s32(vcvtnq_s32_f32(x), o.zero_point);
}

/** 8 results (already within int8) → 8 bytes; the saturating narrows are exact here. */
static inline int8x8_t tsr_neon_qs8_narrow(int32x4_t lo4, int32x4_t hi4) {
  return vqmovn_s16(vcombine_s16(vqmovn_s32(lo4), vqmovn_s32(hi4)));
}

/** Loads scale[0, count) (count ≤ 8) as two vectors, zeros past count; reads nothing beyond. */
static inline void tsr_neon_load_scales8(const float* scale, size_t count, float32x4_t* s0, float32x4_t* s1) {
  if (count >= 8) {
    *s0 = vld1q_f32(scale);
    *s1 = vld1q_f32(scale + 4);
  } else {
    float s[8] = {0};
    for (size_t j = 0; j < count; j++) s[j] = scale[j];
    *s0 = vld1q_f32(s);
    *s1 = vld1q_f32(s + 4);
  }
}

/** Stores the first `count` (≤ 8) bytes of v to c. */
static inline void tsr_neon_store_s8x8(int8_t* c, int8x8_t v, size_t count) {
  if (count >= 8) {
    vst1_s8(c, v);
  } else {
    int8_t out[8];
    vst1_s8(out, v);
    for (size_t j = 0; j < count; j++) c[j] = out[j];
  }
}

#endif /* __aarch64__ */
#endif /* TESSERA_NEON_REQUANTIZE_H */
