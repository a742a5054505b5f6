/*
 * peak.c — measured single-thread instruction peaks (see tessera_peak.h).
 *
 * Every loop is inline asm with 12 independent accumulator chains, so the
 * compiler can neither fold the work away nor vectorize it differently, and the
 * chains hide each instruction's latency. Checked with
 * `objdump -d --no-show-raw-insn` on the gcc and clang objects: each loop body
 * is exactly the 12 steps written below plus `dec`/`jne` (the scalar loop keeps
 * its counter in memory: `decq mem`), i.e.
 *   scalar:          12 × (mov mem,r32; imul mem,r32; add r32,r32)
 *   fp32-avx2:       12 × vfmadd231ps ymm
 *   fp32-avx512:     12 × vfmadd231ps zmm
 *   int8-avx2:       12 × (vpmovsxbw m128,ymm; vpmaddwd ymm; vpaddd ymm)
 *   int8-avx512vnni: 12 × vpdpbusd zmm
 *   int8-avxvnni:    12 × {vex} vpdpbusd ymm
 *   int8-avx512amx:  6 × tdpbusd (intrinsics; 6 accumulator tiles + 2 operand
 *                    tiles are all 8 tiles, so this kind has 6 chains, not 12)
 * On AArch64 only the scalar kind exists (12 × madd w; counter in a register).
 * Operations are 2 × multiply-accumulates.
 */
#include "tessera_peak.h"

#include "tessera_kernels.h"

#include <stdint.h>
#include <time.h>
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#include "../amx/amx-tile-config.h"
#endif

#if defined(__x86_64__) || defined(_M_X64)
#define TSR_PEAK_X86_64 1
#else
#define TSR_PEAK_X86_64 0
#endif

#if defined(__aarch64__)
#define TSR_PEAK_ARM64 1
#else
#define TSR_PEAK_ARM64 0
#endif

#define TSR_PEAK_CHAINS 12
#define TSR_REP12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

/* MARK: - Loops (AArch64: scalar only, 12 × madd w, w, w, w) */

#if TSR_PEAK_ARM64
static uint32_t peak_loop_scalar(uint64_t n) {
  volatile int32_t xv = 3, yv = 5;
  int32_t x = xv, y = yv;
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0;
  int32_t a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0;
#define STEP(i) "madd %w[a" #i "], %w[x], %w[y], %w[a" #i "]\n\t"
  __asm__ volatile(
      "1:\n\t" TSR_REP12(STEP) "subs %[n], %[n], #1\n\tb.ne 1b\n\t"
      : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [a4] "+r"(a4),
        [a5] "+r"(a5), [a6] "+r"(a6), [a7] "+r"(a7), [a8] "+r"(a8), [a9] "+r"(a9),
        [a10] "+r"(a10), [a11] "+r"(a11), [n] "+r"(n)
      : [x] "r"(x), [y] "r"(y)
      : "cc");
#undef STEP
  return (uint32_t)(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
}
#endif

/* MARK: - Loops (x86-64) */

#if TSR_PEAK_X86_64

/* Scalar int32 MAC: t = x; t *= y; acc += t. 12 accumulators + t live in
 * registers; x, y and the counter stay in memory so 14 registers suffice even
 * with a frame pointer. */
static uint32_t peak_loop_scalar(uint64_t iterations) {
  volatile int32_t xv = 3, yv = 5;
  int32_t x = xv, y = yv;
  uint64_t n = iterations;
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0;
  int32_t a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0;
  int32_t t;
#define STEP(i) "movl %[x], %[t]\n\timull %[y], %[t]\n\taddl %[t], %[a" #i "]\n\t"
  __asm__ volatile(
      "1:\n\t" TSR_REP12(STEP) "decq %[n]\n\tjnz 1b\n\t"
      : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [a4] "+r"(a4),
        [a5] "+r"(a5), [a6] "+r"(a6), [a7] "+r"(a7), [a8] "+r"(a8), [a9] "+r"(a9),
        [a10] "+r"(a10), [a11] "+r"(a11), [t] "=&r"(t), [n] "+m"(n)
      : [x] "m"(x), [y] "m"(y)
      : "cc");
#undef STEP
  return (uint32_t)(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
}

__attribute__((target("avx2,fma"))) static void peak_loop_fp32_avx2(uint64_t n) {
#define STEP(i) "vfmadd231ps %%ymm12, %%ymm13, %%ymm" #i "\n\t"
  __asm__ volatile(
      "vxorps %%ymm12, %%ymm12, %%ymm12\n\tvxorps %%ymm13, %%ymm13, %%ymm13\n\t"
      "1:\n\t" TSR_REP12(STEP) "decq %[n]\n\tjnz 1b\n\tvzeroupper\n\t"
      : [n] "+r"(n)
      :
      : "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
        "xmm10", "xmm11", "xmm12", "xmm13");
#undef STEP
}

__attribute__((target("avx512f"))) static void peak_loop_fp32_avx512(uint64_t n) {
#define STEP(i) "vfmadd231ps %%zmm12, %%zmm13, %%zmm" #i "\n\t"
  __asm__ volatile(
      "vpxord %%zmm12, %%zmm12, %%zmm12\n\tvpxord %%zmm13, %%zmm13, %%zmm13\n\t"
      "1:\n\t" TSR_REP12(STEP) "decq %[n]\n\tjnz 1b\n\tvzeroupper\n\t"
      : [n] "+r"(n)
      :
      : "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
        "xmm10", "xmm11", "xmm12", "xmm13");
#undef STEP
}

/* The AVX2 GEMV step: sign-extend 16 weights (L1-resident) to int16, multiply by
 * broadcast int16 activation pairs and add adjacent products (vpmaddwd, exact:
 * no saturation), accumulate in int32 (vpaddd). 16 MACs per step. */
__attribute__((target("avx2"))) static void peak_loop_int8_avx2(uint64_t n) {
  static const int8_t weights[TSR_PEAK_CHAINS * 16] __attribute__((aligned(64))) = {1, -2, 3};
#define STEP(i)                                               \
  "vpmovsxbw " #i "*16(%[w]), %%ymm12\n\t"                    \
  "vpmaddwd %%ymm13, %%ymm12, %%ymm12\n\t"                    \
  "vpaddd %%ymm12, %%ymm" #i ", %%ymm" #i "\n\t"
  __asm__ volatile(
      "vpxor %%ymm13, %%ymm13, %%ymm13\n\t"
      "1:\n\t" TSR_REP12(STEP) "decq %[n]\n\tjnz 1b\n\tvzeroupper\n\t"
      : [n] "+r"(n)
      : [w] "r"(weights)
      : "cc", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
        "xmm9", "xmm10", "xmm11", "xmm12", "xmm13");
#undef STEP
}

__attribute__((target("avx512f,avx512vnni"))) static void peak_loop_int8_avx512vnni(uint64_t n) {
#define STEP(i) "vpdpbusd %%zmm13, %%zmm12, %%zmm" #i "\n\t"
  __asm__ volatile(
      "vpxord %%zmm12, %%zmm12, %%zmm12\n\tvpxord %%zmm13, %%zmm13, %%zmm13\n\t"
      "1:\n\t" TSR_REP12(STEP) "decq %[n]\n\tjnz 1b\n\tvzeroupper\n\t"
      : [n] "+r"(n)
      :
      : "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
        "xmm10", "xmm11", "xmm12", "xmm13");
#undef STEP
}

/* AVX-VNNI: the VEX-encoded vpdpbusd on ymm ("{vex}" forces the VEX form even when
 * the assembler could pick EVEX; "%{" is a literal brace in an asm template). */
__attribute__((target("avx2,avxvnni"))) static void peak_loop_int8_avxvnni(uint64_t n) {
#define STEP(i) "%{vex%} vpdpbusd %%ymm13, %%ymm12, %%ymm" #i "\n\t"
  __asm__ volatile(
      "vpxor %%ymm12, %%ymm12, %%ymm12\n\tvpxor %%ymm13, %%ymm13, %%ymm13\n\t"
      "1:\n\t" TSR_REP12(STEP) "decq %[n]\n\tjnz 1b\n\tvzeroupper\n\t"
      : [n] "+r"(n)
      :
      : "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
        "xmm10", "xmm11", "xmm12", "xmm13");
#undef STEP
}

__attribute__((target("amx-tile,amx-int8"))) static void peak_loop_int8_amx(uint64_t n) {
  tsr_amx_tile_config cfg = {0};
  cfg.palette_id = 1;
  for (int t = 0; t < 8; t++) {
    cfg.rows[t] = 16;
    cfg.colsb[t] = 64;
  }
  _Alignas(64) static const uint8_t operand[16 * 64];
  tsr_amx_load_config(&cfg);
  _tile_loadd(6, operand, 64);
  _tile_loadd(7, operand, 64);
  for (uint64_t i = 0; i < n; i++) {
    _tile_dpbusd(0, 6, 7);
    _tile_dpbusd(1, 6, 7);
    _tile_dpbusd(2, 6, 7);
    _tile_dpbusd(3, 6, 7);
    _tile_dpbusd(4, 6, 7);
    _tile_dpbusd(5, 6, 7);
  }
  _tile_release();
}

#endif /* TSR_PEAK_X86_64 */

/* MARK: - Public API */

static volatile uint32_t peak_sink;

/* MACs one loop iteration performs: 12 chains × MACs per step. */
static uint64_t peak_macs_per_iteration(tsr_peak_kind kind) {
  switch (kind) {
    case TSR_PEAK_SCALAR: return TSR_PEAK_CHAINS * 1;
    case TSR_PEAK_FP32_AVX2: return TSR_PEAK_CHAINS * 8;
    case TSR_PEAK_FP32_AVX512: return TSR_PEAK_CHAINS * 16;
    case TSR_PEAK_INT8_AVX2: return TSR_PEAK_CHAINS * 16;
    case TSR_PEAK_INT8_AVX512VNNI: return TSR_PEAK_CHAINS * 64;
    case TSR_PEAK_INT8_AVXVNNI: return TSR_PEAK_CHAINS * 32;
    case TSR_PEAK_INT8_AMX: return 6 * 16 * 16 * 64;
    default: return 0;
  }
}

const char* tsr_peak_name(tsr_peak_kind kind) {
  switch (kind) {
    case TSR_PEAK_SCALAR: return "scalar-int32";
    case TSR_PEAK_FP32_AVX2: return "fp32-avx2";
    case TSR_PEAK_FP32_AVX512: return "fp32-avx512";
    case TSR_PEAK_INT8_AVX2: return "int8-avx2";
    case TSR_PEAK_INT8_AVX512VNNI: return "int8-avx512vnni";
    case TSR_PEAK_INT8_AVXVNNI: return "int8-avxvnni";
    case TSR_PEAK_INT8_AMX: return "int8-avx512amx";
    default: return "unknown";
  }
}

int tsr_peak_supported(tsr_peak_kind kind) {
#if TSR_PEAK_X86_64
  /* tsr_cpu_features() includes the xgetbv check that the OS saves ymm/zmm state. */
  const uint32_t f = tsr_cpu_features();
  switch (kind) {
    case TSR_PEAK_SCALAR: return 1;
    case TSR_PEAK_FP32_AVX2: return (f & TSR_CPU_AVX2) && (f & TSR_CPU_FMA);
    case TSR_PEAK_FP32_AVX512: return (f & TSR_CPU_AVX512F) != 0;
    case TSR_PEAK_INT8_AVX2: return (f & TSR_CPU_AVX2) != 0;
    case TSR_PEAK_INT8_AVX512VNNI: return (f & TSR_CPU_AVX512F) && (f & TSR_CPU_AVX512VNNI);
    case TSR_PEAK_INT8_AVXVNNI: return (f & TSR_CPU_AVX2) && (f & TSR_CPU_AVXVNNI);
    case TSR_PEAK_INT8_AMX: return tsr_isa_supported(TSR_ISA_AVX512AMX);
    default: return 0;
  }
#else
  return TSR_PEAK_ARM64 && kind == TSR_PEAK_SCALAR;
#endif
}

static double peak_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void peak_run(tsr_peak_kind kind, uint64_t iterations) {
#if TSR_PEAK_X86_64
  switch (kind) {
    case TSR_PEAK_SCALAR: peak_sink = peak_loop_scalar(iterations); break;
    case TSR_PEAK_FP32_AVX2: peak_loop_fp32_avx2(iterations); break;
    case TSR_PEAK_FP32_AVX512: peak_loop_fp32_avx512(iterations); break;
    case TSR_PEAK_INT8_AVX2: peak_loop_int8_avx2(iterations); break;
    case TSR_PEAK_INT8_AVX512VNNI: peak_loop_int8_avx512vnni(iterations); break;
    case TSR_PEAK_INT8_AVXVNNI: peak_loop_int8_avxvnni(iterations); break;
    case TSR_PEAK_INT8_AMX: peak_loop_int8_amx(iterations); break;
    default: break;
  }
#elif TSR_PEAK_ARM64
  if (kind == TSR_PEAK_SCALAR) peak_sink = peak_loop_scalar(iterations);
#else
  (void)kind;
  (void)iterations;
#endif
}

double tsr_peak_gops(tsr_peak_kind kind, double min_seconds) {
  if (!tsr_peak_supported(kind)) return 0.0;
  if (!(min_seconds >= 0.01)) min_seconds = 0.01;
  const double macs = (double)peak_macs_per_iteration(kind);
  /* Calibrate a slice of ~10 ms (this also warms up clocks and vector units). */
  uint64_t iterations = 1u << 12;
  for (;;) {
    const double t0 = peak_now();
    peak_run(kind, iterations);
    const double dt = peak_now() - t0;
    if (dt >= 0.005 || iterations >= (1ull << 40)) {
      if (dt > 0) iterations = (uint64_t)((double)iterations * (0.01 / dt)) + 1;
      break;
    }
    iterations *= 4;
  }
  double best = 0.0;
  const double start = peak_now();
  do {
    const double t0 = peak_now();
    peak_run(kind, iterations);
    const double dt = peak_now() - t0;
    if (dt > 0) {
      const double rate = 2.0 * macs * (double)iterations / dt;
      if (rate > best) best = rate;
    }
  } while (peak_now() - start < min_seconds);
  return best * 1e-9;
}
