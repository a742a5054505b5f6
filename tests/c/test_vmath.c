/*
 * test_vmath.c — the float vector-math checker run by ctest. For every
 * compiled variant the CPU supports (others print "SKIPPED:"): exp in ulp against
 * libm's exp in double (a strided sweep of every float in [-87.3, 88.7], the
 * overflow/underflow edges, ±inf, NaN), erf and GELU in absolute error against
 * libm's erf/tanh in double, softmax and LayerNorm rows against double
 * references, L2 normalization, and every length 0…70 with canaries after the
 * output. Prints the measured maxima; exit status 1 when a bound is exceeded.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tessera_kernels.h"

/* Bounds (docs/kernels.md, "Float vector math for transformers"). */
#define EXP_MAX_ULP 2.0
#define ERF_MAX_ABS 5e-7
#define GELU_ERF_MAX_ABS 5e-7   /* per unit of max(1, |x|) */
#define GELU_TANH_MAX_ABS 5e-7  /* per unit of max(1, |x|) */
#define SOFTMAX_MAX_ABS 1e-6
#define LAYERNORM_MAX_REL 1e-5  /* |y − ref| ≤ 1e-5 · max(1, |ref|) */

static int failures = 0;

static void check(int ok, const char* variant, const char* what, double value, double bound) {
  printf("%-8s %-34s %.3g (bound %.3g)%s\n", variant, what, value, bound, ok ? "" : "  FAIL");
  if (!ok) failures++;
}

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static float uniform(float lo, float hi) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return lo + (hi - lo) * (float)((rng_state >> 40) * (1.0 / 16777216.0));
}

static float from_bits(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }

/* Error of y in units of the last place of the correctly rounded result. */
static double ulp_error(float y, double ref) {
  const float rf = (float)ref;
  if (isinf(rf)) return isinf(y) && (y > 0) == (rf > 0) ? 0.0 : INFINITY;
  const float a = fabsf(rf);
  const double ulp = a < 0x1p-126f ? 0x1p-149 : (double)(nextafterf(a, INFINITY) - a);
  return fabs((double)y - ref) / ulp;
}

/* MARK: - Elementwise */

static double exp_sweep(const tsr_f32_vmath_config* c, float lo, float hi, uint32_t stride) {
  enum { B = 4096 };
  float x[B], y[B];
  double worst = 0.0;
  size_t k = 0;
  for (int sign = 0; sign < 2; sign++) {
    const float end = sign ? -lo : hi;
    if (end <= 0) continue;
    for (uint32_t b = 0; from_bits(b) <= end; b += stride) {
      x[k++] = sign ? -from_bits(b) : from_bits(b);
      if (k == B) {
        c->exp(k, x, y);
        for (size_t i = 0; i < k; i++) worst = fmax(worst, ulp_error(y[i], exp((double)x[i])));
        k = 0;
      }
      if (b > 0xFFFFFFFFu - stride) break;
    }
  }
  c->exp(k, x, y);
  for (size_t i = 0; i < k; i++) worst = fmax(worst, ulp_error(y[i], exp((double)x[i])));
  return worst;
}

static void test_exp(const tsr_f32_vmath_config* c) {
  double u = exp_sweep(c, -87.3f, 88.7f, 1009);
  check(u <= EXP_MAX_ULP, c->name, "exp ulp, [-87.3, 88.7] stride 1009", u, EXP_MAX_ULP);
  double e = 0.0;
  float x[4096], y[4096];
  for (float a = 87.0f, b = 89.0f, z = a; z < b;) { /* every float near overflow */
    size_t k = 0;
    for (; k < 4096 && z < b; k++, z = nextafterf(z, INFINITY)) x[k] = z;
    c->exp(k, x, y);
    for (size_t i = 0; i < k; i++) e = fmax(e, ulp_error(y[i], exp((double)x[i])));
  }
  check(e <= EXP_MAX_ULP, c->name, "exp ulp, every float in [87, 89]", e, EXP_MAX_ULP);
  e = 0.0;
  for (float z = -106.0f; z < -86.0f;) { /* near and into the denormal range */
    size_t k = 0;
    for (; k < 4096 && z < -86.0f; k++, z = nextafterf(z, INFINITY)) x[k] = z;
    c->exp(k, x, y);
    for (size_t i = 0; i < k; i++) e = fmax(e, ulp_error(y[i], exp((double)x[i])));
  }
  check(e <= EXP_MAX_ULP, c->name, "exp ulp, every float in [-106, -86]", e, EXP_MAX_ULP);
  const float special[] = {-INFINITY, -1e30f, -1000.0f, -104.0f, INFINITY, 1e30f, 88.73f, NAN, 0.0f, -0.0f};
  float out[10];
  c->exp(10, special, out);
  const int ok = out[0] == 0.0f && out[1] == 0.0f && out[2] == 0.0f && out[3] == 0.0f && isinf(out[4]) &&
                 isinf(out[5]) && isinf(out[6]) && isnan(out[7]) && out[8] == 1.0f && out[9] == 1.0f;
  check(ok, c->name, "exp specials (±inf, NaN, 0, huge)", ok ? 0 : 1, 0);
}

static double ref_gelu_erf(double x) { return 0.5 * x * (1.0 + erf(x / sqrt(2.0))); }
static double ref_gelu_tanh(double x) {
  return 0.5 * x * (1.0 + tanh(sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
}

static void test_erf_gelu(const tsr_f32_vmath_config* c) {
  enum { B = 4096 };
  float x[B], y[B], g[B], t[B];
  double e_erf = 0, e_ge = 0, e_gt = 0;
  for (uint32_t b = 0; b < 0x41300000u; b += B * 61) { /* |x| < 11, every 61st float */
    for (int sign = 0; sign < 2; sign++) {
      for (uint32_t i = 0; i < B; i++) x[i] = sign ? -from_bits(b + 61 * i) : from_bits(b + 61 * i);
      c->erf(B, x, y);
      c->gelu_erf(B, x, g);
      c->gelu_tanh(B, x, t);
      for (uint32_t i = 0; i < B; i++) {
        const double xd = x[i], s = fmax(1.0, fabs(xd));
        e_erf = fmax(e_erf, fabs(y[i] - erf(xd)));
        e_ge = fmax(e_ge, fabs(g[i] - ref_gelu_erf(xd)) / s);
        e_gt = fmax(e_gt, fabs(t[i] - ref_gelu_tanh(xd)) / s);
      }
    }
  }
  check(e_erf <= ERF_MAX_ABS, c->name, "erf abs, |x| < 11", e_erf, ERF_MAX_ABS);
  check(e_ge <= GELU_ERF_MAX_ABS, c->name, "gelu_erf abs/max(1,|x|)", e_ge, GELU_ERF_MAX_ABS);
  check(e_gt <= GELU_TANH_MAX_ABS, c->name, "gelu_tanh abs/max(1,|x|)", e_gt, GELU_TANH_MAX_ABS);
  const float special[] = {INFINITY, -INFINITY, NAN, 1e30f, -1e30f};
  float o[5];
  c->erf(5, special, o);
  int ok = o[0] == 1.0f && o[1] == -1.0f && isnan(o[2]) && o[3] == 1.0f && o[4] == -1.0f;
  c->gelu_tanh(5, special, o);
  ok = ok && isinf(o[0]) && isnan(o[2]) && o[3] == 1e30f && o[4] == 0.0f;
  c->gelu_erf(5, special, o);
  ok = ok && isinf(o[0]) && isnan(o[2]) && o[3] == 1e30f;
  check(ok, c->name, "erf/gelu specials", ok ? 0 : 1, 0);
}

/* MARK: - Rows */

static void test_softmax(const tsr_f32_vmath_config* c) {
  static const size_t ns[] = {1, 2, 3, 15, 16, 17, 31, 33, 128, 513};
  enum { ROWS = 4, MAXN = 513, STRIDE = 523 };
  static float x[ROWS * STRIDE], y[ROWS * STRIDE + 8], mask[MAXN];
  double e_abs = 0, e_sum = 0;
  int zeros_ok = 1;
  for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++) {
    const size_t n = ns[t];
    for (int variant = 0; variant < 3; variant++) { /* no mask; −inf/finite mask + scale; all masked row */
      const float scale = variant == 0 ? 1.0f : 0.125f;
      for (size_t j = 0; j < n; j++) mask[j] = j % 3 == 1 ? -INFINITY : (j % 5 == 0 ? -10000.0f : 0.0f);
      if (n > 1) mask[0] = 0.0f;
      for (size_t i = 0; i < ROWS * STRIDE; i++) x[i] = uniform(-12.0f, 12.0f);
      if (variant == 2) for (size_t j = 0; j < n; j++) x[1 * STRIDE + j] = -INFINITY;
      const float* m = variant == 1 ? mask : NULL;
      for (size_t k = 0; k < 8; k++) y[(ROWS - 1) * STRIDE + n + k] = 42.0f;
      c->softmax(ROWS, n, x, STRIDE, y, STRIDE, scale, m);
      for (size_t k = 0; k < 8; k++) zeros_ok &= y[(ROWS - 1) * STRIDE + n + k] == 42.0f;
      for (size_t i = 0; i < ROWS; i++) {
        const float* xr = x + i * STRIDE;
        const float* yr = y + i * STRIDE;
        float z[MAXN];
        float max = -INFINITY;
        for (size_t j = 0; j < n; j++) {
          z[j] = xr[j] * scale;
          if (m) z[j] += m[j];
          if (z[j] > max) max = z[j];
        }
        if (max == -INFINITY) {
          for (size_t j = 0; j < n; j++) zeros_ok &= yr[j] == 0.0f;
          continue;
        }
        double sum = 0, ysum = 0;
        for (size_t j = 0; j < n; j++) sum += exp((double)z[j] - max);
        for (size_t j = 0; j < n; j++) {
          e_abs = fmax(e_abs, fabs(yr[j] - exp((double)z[j] - max) / sum));
          ysum += yr[j];
        }
        e_sum = fmax(e_sum, fabs(ysum - 1.0));
      }
    }
  }
  check(e_abs <= SOFTMAX_MAX_ABS, c->name, "softmax abs vs double", e_abs, SOFTMAX_MAX_ABS);
  check(e_sum <= SOFTMAX_MAX_ABS, c->name, "softmax |Σy − 1|", e_sum, SOFTMAX_MAX_ABS);
  check(zeros_ok, c->name, "softmax masked rows 0, canaries", zeros_ok ? 0 : 1, 0);
}

static void test_layernorm(const tsr_f32_vmath_config* c) {
  enum { ROWS = 3, MAXN = 1536, STRIDE = 1541 };
  static float x[ROWS * STRIDE], r[ROWS * STRIDE], y[ROWS * STRIDE + 8], g[MAXN], b[MAXN];
  double e = 0;
  int ok = 1;
  for (size_t n = 1; n <= MAXN; n = n < 17 ? n + 1 : (n == 17 ? 384 : (n == 384 ? 1536 : MAXN + 1))) {
    for (int variant = 0; variant < 4; variant++) { /* plain; residual; residual in place; constant rows */
      const float offset = uniform(-50.0f, 50.0f);
      for (size_t i = 0; i < ROWS * STRIDE; i++) {
        x[i] = variant == 3 ? offset : offset + uniform(-3.0f, 3.0f);
        r[i] = variant == 3 ? 0.0f : uniform(-1.0f, 1.0f);
      }
      for (size_t j = 0; j < n; j++) g[j] = uniform(0.5f, 1.5f), b[j] = uniform(-0.5f, 0.5f);
      static float x0[ROWS * STRIDE];
      memcpy(x0, x, sizeof x);
      for (size_t k = 0; k < 8; k++) y[(ROWS - 1) * STRIDE + n + k] = 42.0f;
      if (variant == 0) c->layernorm(ROWS, n, x, STRIDE, NULL, 0, y, STRIDE, g, b, 1e-12f);
      if (variant == 1 || variant == 3) c->add_layernorm(ROWS, n, x, STRIDE, r, STRIDE, y, STRIDE, g, b, 1e-12f);
      float* out = y;
      if (variant == 2) {
        c->add_layernorm(ROWS, n, x, STRIDE, r, STRIDE, x, STRIDE, g, NULL, 1e-5f);
        out = x;
      } else {
        for (size_t k = 0; k < 8; k++) ok &= y[(ROWS - 1) * STRIDE + n + k] == 42.0f;
      }
      const double eps = variant == 2 ? 1e-5 : 1e-12;
      for (size_t i = 0; i < ROWS; i++) {
        double v[MAXN], mean = 0, var = 0;
        for (size_t j = 0; j < n; j++) {
          v[j] = (double)x0[i * STRIDE + j] + (variant == 0 ? 0.0 : (double)(float)(x0[i * STRIDE + j] + r[i * STRIDE + j]) - x0[i * STRIDE + j]);
          mean += v[j];
        }
        mean /= n;
        for (size_t j = 0; j < n; j++) var += (v[j] - mean) * (v[j] - mean);
        var /= n;
        for (size_t j = 0; j < n; j++) {
          const double ref = (v[j] - mean) / sqrt(var + eps) * g[j] + (variant == 2 ? 0.0 : b[j]);
          const double err = fabs(out[i * STRIDE + j] - ref) / fmax(1.0, fabs(ref));
          e = fmax(e, err);
          if (variant == 3) ok &= out[i * STRIDE + j] == b[j];
        }
      }
    }
  }
  check(e <= LAYERNORM_MAX_REL, c->name, "layernorm rel vs double, n 1..17,384,1536", e, LAYERNORM_MAX_REL);
  check(ok, c->name, "layernorm constant rows = beta, canaries", ok ? 0 : 1, 0);
}

static void test_l2(const tsr_f32_vmath_config* c) {
  float x[70], y[80], s;
  double e = 0;
  for (size_t n = 0; n <= 70; n++) {
    for (size_t j = 0; j < n; j++) x[j] = uniform(-2.0f, 2.0f);
    for (size_t k = n; k < 80; k++) y[k] = 42.0f;
    c->l2_normalize(1, n, x, 70, y, 80, 1e-12f);
    c->row_sumsq(1, n, x, 70, &s);
    double ss = 0;
    for (size_t j = 0; j < n; j++) ss += (double)x[j] * x[j];
    e = fmax(e, fabs(s - ss) / fmax(ss, 1e-30));
    for (size_t j = 0; j < n; j++) e = fmax(e, fabs(y[j] - x[j] / sqrt(ss)));
    for (size_t k = n; k < 80; k++) if (y[k] != 42.0f) e = INFINITY;
  }
  check(e <= 1e-6, c->name, "sumsq rel / l2_normalize abs, n 0..70", e, 1e-6);
}

/* Every length 0…70 against the scalar variant (tails and main loops), canaries after n. */
static void test_tails(const tsr_f32_vmath_config* c, const tsr_f32_vmath_config* ref) {
  float x[80], y[80], z[80];
  double e = 0;
  for (size_t n = 0; n <= 70; n++) {
    for (size_t j = 0; j < 80; j++) x[j] = uniform(-9.0f, 9.0f);
    const tsr_f32_vunary_fn fs[4] = {c->exp, c->erf, c->gelu_erf, c->gelu_tanh};
    const tsr_f32_vunary_fn rs[4] = {ref->exp, ref->erf, ref->gelu_erf, ref->gelu_tanh};
    for (int f = 0; f < 4; f++) {
      for (size_t j = 0; j < 80; j++) y[j] = 42.0f;
      fs[f](n, x, y);
      rs[f](n, x, z);
      for (size_t j = 0; j < n; j++) e = fmax(e, fabs(y[j] - z[j]) / fmax(1.0, fabs(z[j])));
      for (size_t j = n; j < 80; j++) if (y[j] != 42.0f) e = INFINITY;
    }
    for (size_t j = 0; j < 80; j++) y[j] = 42.0f;
    c->add_layernorm(1, n, x, 80, x + 1, 80, y, 80, x + 2, x + 3, 1e-5f);
    ref->add_layernorm(1, n, x, 80, x + 1, 80, z, 80, x + 2, x + 3, 1e-5f);
    for (size_t j = 0; j < n; j++) e = fmax(e, fabs(y[j] - z[j]) / fmax(1.0, fabs(z[j])) / 5); /* LN bound 1e-5 */
    for (size_t j = n; j < 80; j++) if (y[j] != 42.0f) e = INFINITY;
    for (size_t j = 0; j < 80; j++) y[j] = 42.0f;
    c->softmax(1, n, x, 80, y, 80, 0.5f, NULL);
    ref->softmax(1, n, x, 80, z, 80, 0.5f, NULL);
    for (size_t j = 0; j < n; j++) e = fmax(e, fabs(y[j] - z[j]));
    for (size_t j = n; j < 80; j++) if (y[j] != 42.0f) e = INFINITY;
  }
  check(e <= 2e-6, c->name, "vs scalar, n 0..70 (LN scaled 1/5)", e, 2e-6);
}

int main(void) {
  const tsr_f32_vmath_config* scalar = tsr_f32_vmath_at(0);
  for (size_t i = 0; i < tsr_f32_vmath_count(); i++) {
    const tsr_f32_vmath_config* c = tsr_f32_vmath_at(i);
    if (!tsr_f32_vmath_supported(c)) {
      printf("SKIPPED: %s: this CPU does not support it\n", c->name);
      continue;
    }
    test_exp(c);
    test_erf_gelu(c);
    test_softmax(c);
    test_layernorm(c);
    test_l2(c);
    test_tails(c, scalar);
  }
  printf("selected: %s\n", tsr_f32_vmath() ? tsr_f32_vmath()->name : "(none: bad TESSERA_ISA)");
  printf(failures ? "FAILED (%d)\n" : "all passed\n", failures);
  return failures ? 1 : 0;
}
