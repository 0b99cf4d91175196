// core/work_counter: the MAC count `rrcnn bench` turns into a fraction of the fp32 peak.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/gemm.h"
#include "core/work_counter.h"

using namespace rrcnn;

TEST_CASE("work counter: add, read, reset") {
  work_counter::reset();
  CHECK(work_counter::read() == 0);
  work_counter::add(7);
  work_counter::add(uint64_t(1) << 40);  // a training run's count passes 2^32 quickly
  CHECK(work_counter::read() == 7 + (uint64_t(1) << 40));
  work_counter::reset();
  CHECK(work_counter::read() == 0);
}

TEST_CASE("work counter: gemm<float> counts m*n*k per call, both transposes") {
  const int m = 33, n = 5, k = 17;
  std::vector<float> a(std::size_t(m) * k, 1.0f), b(std::size_t(k) * n, 2.0f), c(std::size_t(m) * n, 0.0f);
  work_counter::reset();
  gemm<float>(false, false, m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n);
  CHECK(work_counter::read() == uint64_t(m) * n * k);
  CHECK(c[0] == doctest::Approx(2.0f * k));
  gemm<float>(true, true, m, n, k, 1.0f, a.data(), m, b.data(), k, 0.0f, c.data(), n);
  CHECK(work_counter::read() == 2 * uint64_t(m) * n * k);
  gemm<float>(false, false, 0, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n);  // empty
  CHECK(work_counter::read() == 2 * uint64_t(m) * n * k);
  // Doubles are the finite-difference checks' arithmetic, not the model's: not counted.
  std::vector<double> ad(a.begin(), a.end()), bd(b.begin(), b.end()), cd(c.size());
  gemm<double>(false, false, m, n, k, 1.0, ad.data(), k, bd.data(), n, 0.0, cd.data(), n);
  CHECK(work_counter::read() == 2 * uint64_t(m) * n * k);
}
