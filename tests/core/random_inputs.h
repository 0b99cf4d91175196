// Reproducible random test inputs shared by the CPU suite's files: normal draws from a seeded
// mt19937, in float or double.
#pragma once

#include <random>
#include <vector>

namespace rrcnn_test {

template <typename T = float>
std::vector<T> random_normal(size_t n, unsigned seed, T scale = T(1)) {
  std::mt19937 g(seed);
  std::normal_distribution<T> d(T(0), scale);
  std::vector<T> v(n);
  for (auto& x : v) x = d(g);
  return v;
}

}  // namespace rrcnn_test
