/*
 * neon-epilogue.h — the float epilogue of the qd8-f32-qc8w reference on 4 NEON
 * lanes (baseline Armv8-A), shared by the AArch64 qd8 kernels:
 * p = scale_m · w_scale (float), t = (float)acc · p rounded (TSR_QD8_ROUNDED
 * keeps GCC from fusing it with the add into an FMA), y = t + bias.
 */
#ifndef TESSERA_QD8_NEON_EPILOGUE_H
#define TESSERA_QD8_NEON_EPILOGUE_H

#include "qd8-f32-qc8w-gemm.h"

#if TSR_QD8_ARM64
#include <arm_neon.h>

static inline float32x4_t tsr_qd8_neon_epilogue(int32x4_t acc, float row_scale, float32x4_t w_scale,
                                                float32x4_t bias) {
  const float32x4_t p = vmulq_f32(vdupq_n_f32(row_scale), w_scale);
  float32x4_t t = vmulq_f32(vcvtq_f32_s32(acc), p);
  TSR_QD8_ROUNDED(t);
  return vaddq_f32(t, bias);
}

/** Stores columns [0, count) (count ≤ 8) of the two vectors y0 (0-3), y1 (4-7). */
static inline void tsr_qd8_neon_store8(float* c, float32x4_t y0, float32x4_t y1, size_t count) {
  if (count >= 8) {
    vst1q_f32(c, y0);
    vst1q_f32(c + 4, y1);
  } else {
    float out[8];
    vst1q_f32(out, y0);
    vst1q_f32(out + 4, y1);
    for (size_t j = 0; j < count; j++) c[j] = out[j];
  }
}

#endif /* TSR_QD8_ARM64 */
#endif /* TESSERA_QD8_NEON_EPILOGUE_H */
