/* How many multiply-adds per second one core does with AVX-512 FMA (fp32) and with vdpbf16ps
 * (AVX512_BF16: bf16 pairs summed into fp32), each with 24 independent accumulators so only
 * throughput counts, not latency. It tells what --precision bf16 can gain on a processor
 * before any kernel is written: docs/benchmarks.md, "bf16 on this processor".
 *
 *   gcc -O2 -mavx512f -mavx512bf16 -mfma tools/peers/dpbf16_vs_fma.c -o /tmp/dpbf16 && /tmp/dpbf16
 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

#define EACH(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) \
  X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23)
/* Empty asm that claims to change every accumulator, so the compiler cannot fold the loop. */
#define KEEP                                                                                     \
  __asm__ volatile("" : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6), \
                   "+v"(a7), "+v"(a8), "+v"(a9), "+v"(a10), "+v"(a11));                      \
  __asm__ volatile("" : "+v"(a12), "+v"(a13), "+v"(a14), "+v"(a15), "+v"(a16), "+v"(a17),      \
                   "+v"(a18), "+v"(a19), "+v"(a20), "+v"(a21), "+v"(a22), "+v"(a23));

int main(void) {
  const long n = 50000000;
#define DECLARE(i) __m512 a##i = _mm512_set1_ps(i * 1e-9f);
  EACH(DECLARE)
  const __m512 x = _mm512_set1_ps(1.0f), y = _mm512_set1_ps(1e-9f);
  const __m512bh bx = (__m512bh)_mm512_set1_epi16(0x3f80), by = (__m512bh)_mm512_set1_epi16(0x3000);
  const double t0 = now();
  for (long i = 0; i < n; i++) {
#define FMA(i) a##i = _mm512_fmadd_ps(x, y, a##i);
    EACH(FMA)
    KEEP
  }
  const double t1 = now();
  for (long i = 0; i < n; i++) {
#define DP(i) a##i = _mm512_dpbf16_ps(a##i, bx, by);
    EACH(DP)
    KEEP
  }
  const double t2 = now();
  float sum = 0;
#define SUM(i) sum += _mm512_reduce_add_ps(a##i);
  EACH(SUM)
  const double inst = (double)n * 24;
  const double fma_macs = inst * 16 / (t1 - t0), bf16_macs = inst * 32 / (t2 - t1);
  printf("fp32 FMA:  %.2f G instructions/s, %.1f G multiply-adds/s\n", inst / (t1 - t0) / 1e9,
         fma_macs / 1e9);
  printf("vdpbf16ps: %.2f G instructions/s, %.1f G multiply-adds/s\n", inst / (t2 - t1) / 1e9,
         bf16_macs / 1e9);
  printf("bf16 / fp32 multiply-add rate: %.2f (checksum %g)\n", bf16_macs / fma_macs, sum);
  return 0;
}
