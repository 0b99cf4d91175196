// Report summaries: mean, nearest-rank percentiles, maximum.
#include <doctest/doctest.h>

#include "gui/live/sample_stats.h"

using namespace rrcnn;

TEST_CASE("sample stats") {
  SampleStats s;
  CHECK(s.count() == 0);
  CHECK(s.mean() == 0);
  CHECK(s.percentile(95) == 0);
  for (int i = 1; i <= 100; ++i) s.add(double(101 - i));
  CHECK(s.count() == 100);
  CHECK(s.mean() == doctest::Approx(50.5));
  CHECK(s.percentile(50) == 50);
  CHECK(s.percentile(95) == 95);
  CHECK(s.percentile(100) == 100);
  CHECK(s.percentile(0) == 1);
  CHECK(s.max() == 100);
}
