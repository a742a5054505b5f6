/*
 * bench_vmath.c — throughput (elements per ns, one thread) of the float vector
 * math per variant, next to plain loops over libm (expf, erff, tanhf):
 *   exp and GELU over 64 Ki floats (L2-resident), softmax over 128 rows × 128
 *   (scale 0.125, shared mask), LayerNorm over 128 rows × 384 (gamma, beta).
 * Best of 7 runs of ≥ 20 ms each.
 *   build-ctest/bench_vmath
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tessera_kernels.h"

enum { N = 65536, SM_ROWS = 128, SM_N = 128, LN_ROWS = 128, LN_N = 384 };
static float x[N], y[N], mask[SM_N], gam[LN_N], bet[LN_N];

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

/* MARK: - libm loops */

static void libm_exp(size_t n, const float* a, float* b) { for (size_t i = 0; i < n; i++) b[i] = expf(a[i]); }
static void libm_gelu_erf(size_t n, const float* a, float* b) {
  for (size_t i = 0; i < n; i++) b[i] = 0.5f * a[i] * (1.0f + erff(a[i] * 0.70710678f));
}
static void libm_gelu_tanh(size_t n, const float* a, float* b) {
  for (size_t i = 0; i < n; i++) b[i] = 0.5f * a[i] * (1.0f + tanhf(0.79788456f * (a[i] + 0.044715f * a[i] * a[i] * a[i])));
}
static void libm_softmax(size_t rows, size_t n, const float* a, size_t as, float* b, size_t bs, float scale,
                         const float* m) {
  for (size_t i = 0; i < rows; i++, a += as, b += bs) {
    float mx = -INFINITY, s = 0;
    for (size_t j = 0; j < n; j++) mx = fmaxf(mx, a[j] * scale + m[j]);
    for (size_t j = 0; j < n; j++) s += b[j] = expf(a[j] * scale + m[j] - mx);
    for (size_t j = 0; j < n; j++) b[j] /= s;
  }
}
static void libm_layernorm(size_t rows, size_t n, const float* a, size_t as, const float* r, size_t rs, float* b,
                           size_t bs, const float* g, const float* be, float eps) {
  (void)r, (void)rs;
  for (size_t i = 0; i < rows; i++, a += as, b += bs) {
    float mean = 0, var = 0;
    for (size_t j = 0; j < n; j++) mean += a[j];
    mean /= n;
    for (size_t j = 0; j < n; j++) var += (a[j] - mean) * (a[j] - mean);
    const float rs2 = 1.0f / sqrtf(var / n + eps);
    for (size_t j = 0; j < n; j++) b[j] = (a[j] - mean) * rs2 * g[j] + be[j];
  }
}

/* MARK: - Timing */

typedef void (*run_fn)(const tsr_f32_vmath_config* c, int which);

static void run(const tsr_f32_vmath_config* c, int which) {
  switch (which) {
    case 0: (c ? c->exp : libm_exp)(N, x, y); break;
    case 1: (c ? c->gelu_erf : libm_gelu_erf)(N, x, y); break;
    case 2: (c ? c->gelu_tanh : libm_gelu_tanh)(N, x, y); break;
    case 3: (c ? c->softmax : libm_softmax)(SM_ROWS, SM_N, x, SM_N, y, SM_N, 0.125f, mask); break;
    default: (c ? c->layernorm : libm_layernorm)(LN_ROWS, LN_N, x, LN_N, NULL, 0, y, LN_N, gam, bet, 1e-12f); break;
  }
}

static double rate(const tsr_f32_vmath_config* c, int which) {
  const double elements = which <= 2 ? N : (which == 3 ? SM_ROWS * SM_N : LN_ROWS * LN_N);
  double best = 0;
  for (int rep = 0; rep < 7; rep++) {
    long iters = 0;
    const double t0 = now();
    double t;
    do {
      run(c, which);
      iters++;
    } while ((t = now()) - t0 < 20e6);
    const double r = elements * iters / (t - t0);
    if (r > best) best = r;
  }
  return best;
}

int main(void) {
  for (size_t i = 0; i < N; i++) x[i] = -8.0f + 16.0f * (float)((i * 2654435761u) % 65536) / 65536.0f;
  for (size_t j = 0; j < SM_N; j++) mask[j] = j < 100 ? 0.0f : -10000.0f;
  for (size_t j = 0; j < LN_N; j++) gam[j] = 1.0f + 0.001f * j, bet[j] = 0.01f * j;
  static const char* ops[] = {"exp", "gelu_erf", "gelu_tanh", "softmax 128x128", "layernorm 128x384"};
  printf("%-18s %10s", "elements/ns", "libm");
  for (size_t v = 0; v < tsr_f32_vmath_count(); v++) {
    if (tsr_f32_vmath_supported(tsr_f32_vmath_at(v))) printf(" %10s", tsr_f32_vmath_at(v)->name);
  }
  printf("\n");
  for (int w = 0; w < 5; w++) {
    printf("%-18s %10.3f", ops[w], rate(NULL, w));
    for (size_t v = 0; v < tsr_f32_vmath_count(); v++) {
      if (tsr_f32_vmath_supported(tsr_f32_vmath_at(v))) printf(" %10.3f", rate(tsr_f32_vmath_at(v), w));
    }
    printf("\n");
  }
  return 0;
}
