/*
 * kernel-registry.c — the table of every compiled kernel, built from the
 * enumerators include/tessera/qs8-gemm.inc and qs8-gemv.inc (one line each),
 * plus the packed-size rule shared by all layouts.
 */
#include "tessera_kernels.h"
#include "../qs8-qc8w-gemm/qs8-qc8w-gemm.h"
#if __has_include("../qs8-qc8w-gemv/qs8-qc8w-gemv.h")
#include "../qs8-qc8w-gemv/qs8-qc8w-gemv.h"
#endif

#if defined(__x86_64__) || defined(_M_X64)
#define TSR_ARCH_X86_64 1
#else
#define TSR_ARCH_X86_64 0
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
#define TSR_ARCH_ARM64 1
#else
#define TSR_ARCH_ARM64 0
#endif

#define TSR_KERNEL(name, op, isa, mr, nr, kr, ukernel, pack) {name, op, isa, mr, nr, kr, ukernel, pack},

static const tsr_qs8_kernel kernels[] = {
#include "tessera/qs8-gemm.inc"
#include "tessera/qs8-gemv.inc"
};

#undef TSR_KERNEL

size_t tsr_qs8_kernel_count(void) { return sizeof(kernels) / sizeof(kernels[0]); }

const tsr_qs8_kernel* tsr_qs8_kernel_at(size_t index) {
  return index < tsr_qs8_kernel_count() ? &kernels[index] : NULL;
}

/* An ISA is compiled when any family has a kernel for it (AMX: qd8 only). */
int tsr_isa_compiled(tsr_isa isa) {
  for (size_t i = 0; i < tsr_qs8_kernel_count(); i++) {
    if (kernels[i].isa == isa) return 1;
  }
  for (size_t i = 0; i < tsr_qd8_kernel_count(); i++) {
    if (tsr_qd8_kernel_at(i)->isa == isa) return 1;
  }
  return 0;
}

size_t tsr_qs8_qc8w_packed_panel_bytes(const tsr_qs8_kernel* kernel, size_t kc) {
  return tsr_goi_panel_bytes(kernel->nr, kernel->kr, kc);
}

size_t tsr_qs8_qc8w_packed_size(const tsr_qs8_kernel* kernel, size_t n, size_t kc) {
  return (n + kernel->nr - 1) / kernel->nr * tsr_qs8_qc8w_packed_panel_bytes(kernel, kc);
}
