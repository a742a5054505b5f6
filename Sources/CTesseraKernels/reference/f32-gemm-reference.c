/*
 * f32-gemm-reference.c — the definition of the f32 GEMM with packed weights:
 * acc = bias (or +0.0f), then acc = fmaf(x, w, acc) in k order. Readable loops,
 * no packing (tests/c/test_f32gemm.c, Tests/CTesseraKernelsTests).
 */
#include <math.h>

#include "tessera_kernels.h"

void tsr_f32_gemm_reference(
    size_t m, size_t n, size_t kc,
    const float* a, size_t a_stride,
    const float* w, size_t w_stride, const float* bias,
    float* c, size_t c_stride) {
  for (size_t i = 0; i < m; i++) {
    for (size_t j = 0; j < n; j++) {
      float acc = bias != NULL ? bias[j] : 0.0f;
      for (size_t k = 0; k < kc; k++) acc = fmaf(a[i * a_stride + k], w[j * w_stride + k], acc);
      c[i * c_stride + j] = acc;
    }
  }
}
