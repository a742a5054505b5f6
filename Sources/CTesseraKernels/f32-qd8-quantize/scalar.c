/*
 * scalar.c — the portable row quantizer: the reference itself.
 */
#include "../qd8-f32-qc8w-gemm/qd8-f32-qc8w-gemm.h"

TSR_QD8_QUANTIZE(tsr_f32_qd8_quantize_ukernel__scalar) {
  tsr_f32_qd8_quantize_reference(m, kc, x, x_stride, q, q_stride, params);
}
