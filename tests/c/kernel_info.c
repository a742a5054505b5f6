/*
 * kernel_info.c — prints what the kernel library sees on this CPU: brand,
 * feature bits, every ISA word with compiled/supported, and the kernels the
 * dispatcher selects for GEMM, batch-1 GEMV and qd8-f32-qc8w (TESSERA_ISA is
 * honoured, as in the library). scripts/test-aarch64.sh runs it under each
 * emulated CPU model; Swift cannot be cross-built there, so this stands in for
 * `tessera info`.
 *
 *   kernel_info [--expect scalar,neondot,...]
 * With --expect, exits 1 unless the supported ISAs are exactly that set.
 */
#include <stdio.h>
#include <string.h>

#include "tessera_kernels.h"

static const struct { uint32_t bit; const char* name; } features[] = {
    {TSR_CPU_SSE41, "sse4.1"},        {TSR_CPU_AVX, "avx"},           {TSR_CPU_AVX2, "avx2"},
    {TSR_CPU_FMA, "fma"},             {TSR_CPU_F16C, "f16c"},         {TSR_CPU_AVX512F, "avx512f"},
    {TSR_CPU_AVX512BW, "avx512bw"},   {TSR_CPU_AVX512VL, "avx512vl"}, {TSR_CPU_AVX512DQ, "avx512dq"},
    {TSR_CPU_AVX512VNNI, "avx512vnni"}, {TSR_CPU_AVX512BF16, "avx512bf16"}, {TSR_CPU_AVXVNNI, "avxvnni"},
    {TSR_CPU_NEON, "neon"},           {TSR_CPU_NEONDOT, "neondot"},   {TSR_CPU_NEONI8MM, "neoni8mm"},
};

int main(int argc, char** argv) {
  const char* expect = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc) {
      expect = argv[++i];
    } else {
      fprintf(stderr, "usage: %s [--expect isa,isa,...]\n", argv[0]);
      return 1;
    }
  }
  char brand[128];
  tsr_cpu_brand(brand, sizeof brand);
  printf("cpu: %s\nfeatures:", brand);
  const uint32_t f = tsr_cpu_features();
  for (size_t i = 0; i < sizeof features / sizeof features[0]; i++) {
    if (f & features[i].bit) printf(" %s", features[i].name);
  }
  char supported[128] = "";
  printf("\nisa:");
  for (int isa = 0; isa < TSR_ISA_COUNT; isa++) {
    const int c = tsr_isa_compiled((tsr_isa)isa), s = tsr_isa_supported((tsr_isa)isa);
    printf(" %s(%s)", tsr_isa_name((tsr_isa)isa), c && s ? "used" : c ? "compiled, not supported" : "not compiled");
    if (c && s) {
      if (supported[0] != '\0') strncat(supported, ",", sizeof supported - strlen(supported) - 1);
      strncat(supported, tsr_isa_name((tsr_isa)isa), sizeof supported - strlen(supported) - 1);
    }
  }
  printf("\nsupported: %s\n", supported);
  char err[200];
  const tsr_qs8_kernel* gemm = tsr_qs8_select_kernel(TSR_OP_GEMM, err, sizeof err);
  printf("gemm: %s\n", gemm != NULL ? gemm->name : err);
  const tsr_qs8_kernel* gemv = tsr_qs8_select_kernel(TSR_OP_GEMV, err, sizeof err);
  printf("gemv: %s\n", gemv != NULL ? gemv->name : err);
  const tsr_qd8_kernel* qd8 = tsr_qd8_select_kernel(err, sizeof err);
  printf("qd8:  %s\n", qd8 != NULL ? qd8->name : err);
  if (gemm == NULL || gemv == NULL || qd8 == NULL) return 1;
  if (expect != NULL && strcmp(expect, supported) != 0) {
    fprintf(stderr, "FAIL: expected supported ISAs '%s', detected '%s'\n", expect, supported);
    return 1;
  }
  return 0;
}
