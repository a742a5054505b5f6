/*
 * qd8-config.c — the qd8-f32-qc8w kernel table (from include/tessera/qd8-gemm.inc)
 * and its selection: the first enumerated kernel of the most capable ISA that
 * has a qd8 kernel and is supported, unless an ISA word (TESSERA_ISA) forces one.
 * Same preference order and message style as gemm-config.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tessera_kernels.h"
#include "../qd8-f32-qc8w-gemm/qd8-f32-qc8w-gemm.h"

#if defined(__x86_64__) || defined(_M_X64)
#define TSR_ARCH_X86_64 1
#else
#define TSR_ARCH_X86_64 0
#endif
#if defined(__aarch64__)
#define TSR_ARCH_ARM64 1
#else
#define TSR_ARCH_ARM64 0
#endif

#define TSR_QD8_KERNEL(name, qname, isa, mr, nr, kr, ukernel, pack, quantize) \
  {name, qname, isa, mr, nr, kr, ukernel, pack, quantize},

static const tsr_qd8_kernel kernels[] = {
#include "tessera/qd8-gemm.inc"
};

#undef TSR_QD8_KERNEL

size_t tsr_qd8_kernel_count(void) { return sizeof(kernels) / sizeof(kernels[0]); }

const tsr_qd8_kernel* tsr_qd8_kernel_at(size_t index) {
  return index < tsr_qd8_kernel_count() ? &kernels[index] : NULL;
}

size_t tsr_qd8_f32_qc8w_packed_panel_bytes(const tsr_qd8_kernel* kernel, size_t kc) {
  return tsr_qd8_panel_bytes(kernel->nr, kernel->kr, kc);
}

size_t tsr_qd8_f32_qc8w_packed_size(const tsr_qd8_kernel* kernel, size_t n, size_t kc) {
  return (n + kernel->nr - 1) / kernel->nr * tsr_qd8_f32_qc8w_packed_panel_bytes(kernel, kc);
}

static const tsr_qd8_kernel* first_kernel(tsr_isa isa) {
  for (size_t i = 0; i < tsr_qd8_kernel_count(); i++) {
    if (kernels[i].isa == isa) return &kernels[i];
  }
  return NULL;
}

const tsr_qd8_kernel* tsr_qd8_kernel_for_isa(tsr_isa isa) {
  if ((unsigned)isa >= TSR_ISA_COUNT || !tsr_isa_supported(isa)) return NULL;
  return first_kernel(isa);
}

static const tsr_isa preference[] = {
    TSR_ISA_AVX512AMX, TSR_ISA_AVX512VNNI, TSR_ISA_AVXVNNI, TSR_ISA_NEONI8MM, TSR_ISA_NEONDOT, TSR_ISA_AVX2, TSR_ISA_SCALAR,
};

const tsr_qd8_kernel* tsr_qd8_select_kernel_for(const char* isa_word, char* err, size_t err_size) {
  if (err != NULL && err_size > 0) err[0] = '\0';
  if (isa_word != NULL && isa_word[0] != '\0') {
    const int isa = tsr_isa_from_name(isa_word);
    const char* problem = NULL;
    if (isa < 0) {
      problem = "unknown instruction set (expected scalar, avx2, avxvnni, avx512vnni, avx512amx, neondot or neoni8mm)";
    } else if (first_kernel((tsr_isa)isa) == NULL) {
      problem = "this build has no qd8-f32-qc8w kernel for this instruction set";
    } else if (!tsr_isa_supported((tsr_isa)isa)) {
      problem = "this CPU does not support this instruction set";
    }
    if (problem != NULL) {
      if (err != NULL && err_size > 0) snprintf(err, err_size, "TESSERA_ISA=%s: %s", isa_word, problem);
      return NULL;
    }
    return first_kernel((tsr_isa)isa);
  }
  for (size_t i = 0; i < sizeof(preference) / sizeof(preference[0]); i++) {
    const tsr_qd8_kernel* k = tsr_qd8_kernel_for_isa(preference[i]);
    if (k != NULL) return k;
  }
  if (err != NULL && err_size > 0) snprintf(err, err_size, "no qd8-f32-qc8w kernel is available");
  return NULL;
}

const tsr_qd8_kernel* tsr_qd8_select_kernel(char* err, size_t err_size) {
  return tsr_qd8_select_kernel_for(getenv("TESSERA_ISA"), err, err_size);
}
