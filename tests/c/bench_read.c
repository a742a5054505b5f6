/*
 * bench_read — the read bandwidth one core gets from a buffer it streams again and
 * again: the roof for batch-1 GEMV, which reads each weight byte once per call. A tool,
 * not a test.
 *
 * Usage: bench_read [rounds]   (default 11; best and median GB/s per size over rounds)
 * Sizes 1, 4, 16 and 64 MiB (2 MiB L2 and a larger L3 here). Times with thread CPU time
 * (CLOCK_THREAD_CPUTIME_ID), so time the process is descheduled is not counted. The loop
 * is plain 64-byte loads (AVX-512 when the CPU has it, else 8-byte scalar loads), four
 * independent XOR chains, no software prefetch.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* noipa: the compiler must not see that repeated calls return the same value. */
__attribute__((noipa)) static uint64_t read_scalar(const uint64_t* p, size_t words) {
  uint64_t a = 0, b = 0, c = 0, d = 0;
  for (size_t i = 0; i + 4 <= words; i += 4) a ^= p[i], b ^= p[i + 1], c ^= p[i + 2], d ^= p[i + 3];
  return a ^ b ^ c ^ d;
}

#if defined(__x86_64__)
__attribute__((noipa, target("avx512f"))) static uint64_t read_avx512(const uint8_t* p, size_t bytes) {
  __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
  for (size_t i = 0; i + 256 <= bytes; i += 256) {
    a0 = _mm512_xor_si512(a0, _mm512_load_si512(p + i));
    a1 = _mm512_xor_si512(a1, _mm512_load_si512(p + i + 64));
    a2 = _mm512_xor_si512(a2, _mm512_load_si512(p + i + 128));
    a3 = _mm512_xor_si512(a3, _mm512_load_si512(p + i + 192));
  }
  a0 = _mm512_xor_si512(_mm512_xor_si512(a0, a1), _mm512_xor_si512(a2, a3));
  return (uint64_t)_mm512_reduce_add_epi64(a0);
}
#endif

static int compare_double(const void* x, const void* y) {
  const double a = *(const double*)x, b = *(const double*)y;
  return (a > b) - (a < b);
}

int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 11;
  if (rounds < 1) rounds = 1;
  if (rounds > 101) rounds = 101;
  int wide = 0;
#if defined(__x86_64__)
  __builtin_cpu_init();
  wide = __builtin_cpu_supports("avx512f");
#endif
  printf("read loop: %s, thread CPU time, %d rounds of >= 256 MB each\n",
         wide ? "AVX-512 64-byte loads" : "8-byte loads", rounds);
  const size_t sizes[] = {1u << 20, 4u << 20, 16u << 20, 64u << 20};
  uint64_t sink = 0;
  double rates[101];
  for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
    const size_t bytes = sizes[s];
    uint8_t* p = aligned_alloc(64, bytes);
    if (p == NULL) {
      fprintf(stderr, "out of memory\n");
      return 1;
    }
    for (size_t i = 0; i < bytes; i++) p[i] = (uint8_t)(i * 131u);
    const int calls = (int)(256e6 / (double)bytes) + 1;
    for (int r = 0; r < rounds; r++) {
      const double t0 = now();
      for (int c = 0; c < calls; c++) {
#if defined(__x86_64__)
        sink += wide ? read_avx512(p, bytes) : read_scalar((const uint64_t*)p, bytes / 8);
#else
        sink += read_scalar((const uint64_t*)p, bytes / 8);
#endif
      }
      rates[r] = (double)bytes * calls / (now() - t0) * 1e-9;
    }
    qsort(rates, (size_t)rounds, sizeof(double), compare_double);
    printf("%3zu MiB: median %6.1f GB/s, best %6.1f, worst %6.1f\n", bytes >> 20, rates[rounds / 2],
           rates[rounds - 1], rates[0]);
    free(p);
  }
  volatile uint64_t keep = sink; /* keeps the reads alive */
  (void)keep;
  return 0;
}
