/*
 * cpu-features.c — the one place that asks the CPU what it can do: cpuid +
 * xgetbv on x86-64 (an ISA counts only if the OS also saves its registers),
 * hwcaps on Linux AArch64, sysctl on Apple silicon. Results are cached.
 */
#include <stdio.h>
#include <string.h>

#include "tessera_kernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#define TSR_CPU_X86 1
#include <cpuid.h>
#else
#define TSR_CPU_X86 0
#endif

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif
#if TSR_CPU_X86 && defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif
#if defined(__APPLE__)
#include <sys/sysctl.h>
#endif

/* MARK: - Detection */

#if TSR_CPU_X86
static uint64_t xgetbv0(void) {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((uint64_t)hi << 32) | lo;
}

/*
 * Linux enables AMX tile data per process on request (arch_prctl
 * ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA = 18; kernel 5.16+); without it the
 * first tile instruction faults. Other systems: not used.
 */
static int amx_permitted(void) {
#if defined(__linux__) && defined(SYS_arch_prctl)
  return syscall(SYS_arch_prctl, 0x1023 /* ARCH_REQ_XCOMP_PERM */, 18) == 0;
#else
  return 0;
#endif
}

static uint32_t detect_x86(void) {
  unsigned int eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  uint32_t f = 0;
  if (ecx & (1u << 19)) f |= TSR_CPU_SSE41;
  const int osxsave = (ecx & (1u << 27)) != 0;
  const int avx = (ecx & (1u << 28)) != 0;
  const int fma = (ecx & (1u << 12)) != 0;
  const int f16c = (ecx & (1u << 29)) != 0;
  if (!osxsave || !avx) return f;
  const uint64_t xcr0 = xgetbv0();
  /* XMM (bit 1) and YMM (bit 2) state; opmask, ZMM_Hi256, Hi16_ZMM (5, 6, 7). */
  const int os_ymm = (xcr0 & 0x6) == 0x6;
  const int os_zmm = (xcr0 & 0xE6) == 0xE6;
  if (!os_ymm) return f;
  f |= TSR_CPU_AVX;
  if (fma) f |= TSR_CPU_FMA;
  if (f16c) f |= TSR_CPU_F16C;
  unsigned int max_leaf = __get_cpuid_max(0, NULL);
  if (max_leaf < 7) return f;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  if (ebx & (1u << 5)) f |= TSR_CPU_AVX2;
  if (os_zmm) {
    if (ebx & (1u << 16)) f |= TSR_CPU_AVX512F;
    if (ebx & (1u << 17)) f |= TSR_CPU_AVX512DQ;
    if (ebx & (1u << 30)) f |= TSR_CPU_AVX512BW;
    if (ebx & (1u << 31)) f |= TSR_CPU_AVX512VL;
    if (ecx & (1u << 11)) f |= TSR_CPU_AVX512VNNI;
  }
  const unsigned int max_sub = eax;
  /* AMX: AMX-TILE (edx 24) + AMX-INT8 (edx 25), XTILECFG + XTILEDATA state (XCR0 17, 18). */
  const int amx = (edx & (3u << 24)) == (3u << 24) && (xcr0 & (3ull << 17)) == (3ull << 17);
  if (amx && os_zmm && amx_permitted()) f |= TSR_CPU_AMXINT8;
  if (max_sub >= 1) {
    __cpuid_count(7, 1, eax, ebx, ecx, edx);
    if (eax & (1u << 4)) f |= TSR_CPU_AVXVNNI;
    if (os_zmm && (eax & (1u << 5))) f |= TSR_CPU_AVX512BF16;
  }
  return f;
}
#endif

#if defined(__aarch64__) && defined(__APPLE__)
/* 1 when the sysctl exists and is non-zero (older macOS lacks the FEAT_ names: 0). */
static int apple_feature(const char* name) {
  int value = 0;
  size_t size = sizeof(value);
  return sysctlbyname(name, &value, &size, NULL, 0) == 0 && value != 0;
}
#endif

static uint32_t detect(void) {
#if TSR_CPU_X86
  return detect_x86();
#elif defined(__aarch64__) && defined(__linux__)
  uint32_t f = TSR_CPU_NEON;
  /* <asm/hwcap.h>: HWCAP_ASIMDDP = 1 << 20 (AT_HWCAP), HWCAP2_I8MM = 1 << 13 (AT_HWCAP2). */
  if (getauxval(AT_HWCAP) & (1ul << 20)) f |= TSR_CPU_NEONDOT;
  if (getauxval(AT_HWCAP2) & (1ul << 13)) f |= TSR_CPU_NEONI8MM;
  return f;
#elif defined(__aarch64__) && defined(__APPLE__)
  uint32_t f = TSR_CPU_NEON;
  if (apple_feature("hw.optional.arm.FEAT_DotProd")) f |= TSR_CPU_NEONDOT;
  if (apple_feature("hw.optional.arm.FEAT_I8MM")) f |= TSR_CPU_NEONI8MM;
  return f;
#elif defined(__aarch64__)
  return TSR_CPU_NEON;
#else
  return 0;
#endif
}

uint32_t tsr_cpu_features(void) {
  /* Racing first calls compute the same value; the high bit marks "cached". */
  static uint32_t cached = 0;
  uint32_t v = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);
  if (v == 0) {
    v = detect() | 0x80000000u;
    __atomic_store_n(&cached, v, __ATOMIC_RELEASE);
  }
  return v & 0x7FFFFFFFu;
}

/* MARK: - ISA words */

static const char* const isa_names[TSR_ISA_COUNT] = {"scalar", "avx2", "avxvnni", "avx512vnni", "neondot",
                                                        "neoni8mm", "avx512amx"};

const char* tsr_isa_name(tsr_isa isa) {
  return (unsigned)isa < TSR_ISA_COUNT ? isa_names[isa] : "unknown";
}

int tsr_isa_from_name(const char* name) {
  if (name == NULL) return -1;
  for (int i = 0; i < TSR_ISA_COUNT; i++) {
    if (strcmp(name, isa_names[i]) == 0) return i;
  }
  return -1;
}

int tsr_isa_supported(tsr_isa isa) {
  const uint32_t f = tsr_cpu_features();
  switch (isa) {
    case TSR_ISA_SCALAR: return 1;
    case TSR_ISA_AVX2: return (f & (TSR_CPU_AVX2 | TSR_CPU_FMA)) == (TSR_CPU_AVX2 | TSR_CPU_FMA);
    case TSR_ISA_AVXVNNI: return (f & (TSR_CPU_AVX2 | TSR_CPU_AVXVNNI)) == (TSR_CPU_AVX2 | TSR_CPU_AVXVNNI);
    case TSR_ISA_AVX512VNNI: {
      const uint32_t need = TSR_CPU_AVX512F | TSR_CPU_AVX512BW | TSR_CPU_AVX512VL | TSR_CPU_AVX512VNNI;
      return (f & need) == need;
    }
    case TSR_ISA_AVX512AMX: return tsr_isa_supported(TSR_ISA_AVX512VNNI) && (f & TSR_CPU_AMXINT8) != 0;
    case TSR_ISA_NEONDOT: return (f & TSR_CPU_NEONDOT) != 0;
    /* Both bits: every i8mm CPU known has dotprod, and the preference order assumes neoni8mm ⊃ neondot. */
    case TSR_ISA_NEONI8MM: return (f & (TSR_CPU_NEONDOT | TSR_CPU_NEONI8MM)) == (TSR_CPU_NEONDOT | TSR_CPU_NEONI8MM);
    default: return 0;
  }
}

/* MARK: - Brand string */

void tsr_cpu_brand(char* buf, size_t size) {
  if (buf == NULL || size == 0) return;
  buf[0] = '\0';
#if TSR_CPU_X86
  unsigned int regs[12];
  if (__get_cpuid_max(0x80000000u, NULL) >= 0x80000004u) {
    for (unsigned int i = 0; i < 3; i++) {
      __get_cpuid(0x80000002u + i, &regs[4 * i], &regs[4 * i + 1], &regs[4 * i + 2], &regs[4 * i + 3]);
    }
    char brand[49];
    memcpy(brand, regs, 48);
    brand[48] = '\0';
    const char* s = brand;
    while (*s == ' ') s++;
    snprintf(buf, size, "%s", s);
    /* Trim trailing blanks. */
    for (size_t n = strlen(buf); n > 0 && buf[n - 1] == ' '; n--) buf[n - 1] = '\0';
  }
#elif defined(__APPLE__)
  size_t n = size;
  if (sysctlbyname("machdep.cpu.brand_string", buf, &n, NULL, 0) != 0) buf[0] = '\0';
#elif defined(__linux__)
  FILE* f = fopen("/proc/cpuinfo", "r");
  if (f != NULL) {
    char line[256];
    while (fgets(line, sizeof line, f) != NULL) {
      if (strncmp(line, "model name", 10) == 0 || strncmp(line, "Model", 5) == 0) {
        const char* colon = strchr(line, ':');
        if (colon != NULL) {
          colon++;
          while (*colon == ' ' || *colon == '\t') colon++;
          snprintf(buf, size, "%s", colon);
          buf[strcspn(buf, "\n")] = '\0';
          break;
        }
      }
    }
    fclose(f);
  }
#endif
  if (buf[0] == '\0') snprintf(buf, size, "unknown");
}
